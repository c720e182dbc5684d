package org.datalayerlab.lab.server.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.Wait;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.StreamingCluster;

/**
 * A primary and streaming replicas as processes on this machine. The bundled PostgreSQL has no
 * pg_basebackup, so a replica is made the way pg_basebackup does it underneath: a physical slot
 * (so the primary keeps the WAL the replica needs), pg_backup_start, a file copy of the data
 * directory, pg_backup_stop's backup_label, then standby.signal and primary_conninfo in lab.conf.
 */
final class EmbeddedCluster extends StreamingCluster<LocalPostgres> {

    private final EmbeddedBackend backend;

    EmbeddedCluster(EmbeddedBackend backend, String name, ClusterSpec spec) {
        super(name, spec);
        this.backend = backend;
    }

    @Override
    protected LocalPostgres startPrimary(Settings settings) {
        LocalPostgres p = backend.newServer("primary", name + "-primary", settings);
        p.start();
        return p;
    }

    @Override
    protected LocalPostgres startReplica(LocalPostgres upstream, String replicaName, Settings settings) {
        LocalPostgres replica = backend.newEmptyServer(replicaName, name + "-" + replicaName);
        String backupLabel = baseBackup(upstream, replica);
        replica.linkWal();
        replica.writeDataFile("backup_label", backupLabel);
        replica.writeDataFile("standby.signal", "");
        // replication settings live in lab.conf; a copied ALTER SYSTEM value would point elsewhere
        stripFromAutoConf(replica, "primary_conninfo", "primary_slot_name");
        // a hot standby needs max_connections & co. at least as high as its primary's: start from the primary's settings
        replica.writeLabConf(upstream.createdWith().with(settings), replicationLines(upstream, upstream.host(), upstream.port(), replicaName));
        replica.start();
        return replica;
    }

    @Override
    protected void pointAt(LocalPostgres standby, LocalPostgres upstream) {
        standby.replaceReplicationLines(upstream == null ? ""
                : replicationLines(upstream, upstream.host(), upstream.port(), standby.name()));
    }

    /** pg_backup_start, copy the files, pg_backup_stop, all in one session as the protocol requires. */
    private String baseBackup(LocalPostgres upstream, LocalPostgres target) {
        try (Connection c = upstream.connect(); Statement s = c.createStatement()) {
            s.execute("select pg_backup_start('" + target.name() + "', true)");
            Files2.copyTree(upstream.dataDir(), target.dataDir(), EmbeddedCluster::notInBaseBackup);
            try (ResultSet rs = s.executeQuery("select labelfile from pg_backup_stop(false)")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new LabException(name + ": base backup of the primary failed: " + e.getMessage(), e);
        }
    }

    /** What pg_basebackup leaves out: the running server's pid files, WAL (streamed instead), slots, temp stats. */
    private static boolean notInBaseBackup(Path rel) {
        String p = rel.toString();
        return p.equals("postmaster.pid") || p.equals("postmaster.opts") || p.equals("standby.signal")
                || p.equals("recovery.signal") || p.equals("backup_label") || p.equals("tablespace_map")
                || p.equals("pg_wal") || p.startsWith("pg_wal/")
                || p.startsWith("pg_replslot/") || p.startsWith("pg_stat_tmp/");
    }

    private static void stripFromAutoConf(LocalPostgres pg, String... parameters) {
        Path auto = pg.dataDir().resolve("postgresql.auto.conf");
        StringBuilder kept = new StringBuilder();
        for (String line : Files2.read(auto).split("\n", -1)) {
            String trimmed = line.trim();
            boolean drop = false;
            for (String p : parameters) {
                drop |= trimmed.startsWith(p + " ") || trimmed.startsWith(p + "=");
            }
            if (!drop) {
                kept.append(line).append('\n');
            }
        }
        pg.writeDataFile("postgresql.auto.conf", kept.toString().replaceAll("\n+$", "\n"));
    }

    /** primary_conninfo for {@code upstream}, reached at {@code host:port} (the server itself, or a link to it). */
    private static String replicationLines(LocalPostgres upstream, String host, int port, String replicaName) {
        String conninfo = "host=" + host + " port=" + port + " user=" + upstream.user()
                + " password=" + upstream.password() + " application_name=" + replicaName;
        return "primary_conninfo = " + Settings.quote(conninfo) + "\n"
                + "primary_slot_name = " + Settings.quote(replicaName) + "\n";
    }

    @Override
    protected NetworkLink linkTo(LocalPostgres upstream) {
        return backend.link(upstream);
    }

    @Override
    protected void pointThrough(LocalPostgres standby, LocalPostgres upstream, NetworkLink link) {
        standby.replaceReplicationLines(replicationLines(upstream, link.host(), link.port(), standby.name()));
    }
}
