package org.datalayerlab.lab;

import java.time.Duration;

/**
 * The probe table the read-after-write measurements write on a primary and read on a replica:
 * made in one place, for {@link Replication} and {@link ReadAfterWrite} alike.
 */
final class Probe {

    static final String TABLE = "lab_replication_probe";
    static final String INSERT = "insert into " + TABLE + "(id) values (?)";
    static final String SELECT = "select 1 from " + TABLE + " where id = ?";

    private Probe() {
    }

    /** Creates the table on the primary (once) and waits until the replica has it. */
    static void ensure(Postgres primary, Postgres replica) {
        primary.execute("create table if not exists " + TABLE
                + " (id bigint primary key, written_at timestamptz not null default clock_timestamp())");
        long position = primary.walPosition();
        if (!replica.awaitReplay(position, Duration.ofSeconds(30))) {
            throw new LabException(replica.name() + " did not receive the probe table from " + primary.name()
                    + " within 30 s: is it streaming from it? (Replication.status(primary) shows the standbys)");
        }
    }
}
