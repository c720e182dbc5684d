package org.datalayerlab.lab.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Flyway migration that fills a new column in small batches, each its own short
 * transaction, with a pause between batches so the live workload keeps its share of the
 * server. One big {@code UPDATE} would instead lock every row it touches until it commits,
 * and write the whole table's worth of WAL at once.
 *
 * <pre>{@code
 * new BatchedBackfill("3", "backfill id_new",
 *         "select min(id), max(id) from flights",                                  // key range
 *         "update flights set id_new = id where id >= ? and id < ? and id_new is null", // one batch
 *         5_000, Duration.ofMillis(20))
 * }</pre>
 *
 * It runs outside a Flyway transaction ({@link #canExecuteInTransaction()} is false): each
 * batch commits on its own, and a backfill stopped half-way resumes where rows are still empty.
 */
public final class BatchedBackfill implements JavaMigration {

    private final String version;
    private final String description;
    private final String rangeSql;
    private final String batchSql;
    private final long batchKeys;
    private final Duration pause;
    private volatile long batches;
    private volatile long rows;

    /**
     * @param rangeSql  a query returning the lowest and highest key (two numbers)
     * @param batchSql  an UPDATE with two parameters: the batch's first key (inclusive) and its end (exclusive)
     * @param batchKeys keys per batch
     * @param pause     pause after each batch
     */
    public BatchedBackfill(String version, String description, String rangeSql, String batchSql, long batchKeys, Duration pause) {
        this.version = Objects.requireNonNull(version, "version");
        this.description = Objects.requireNonNull(description, "description");
        this.rangeSql = Objects.requireNonNull(rangeSql, "rangeSql");
        this.batchSql = Objects.requireNonNull(batchSql, "batchSql");
        if (batchKeys < 1) {
            throw new IllegalArgumentException("BatchedBackfill: batchKeys must be at least 1, got " + batchKeys);
        }
        if (pause == null || pause.isNegative()) {
            throw new IllegalArgumentException("BatchedBackfill: pause must be zero or positive, got " + pause);
        }
        this.batchKeys = batchKeys;
        this.pause = pause;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(version);
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return (rangeSql + "\n" + batchSql + "\n" + batchKeys).hashCode();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return false;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true); // every batch commits by itself
        try (Statement s = c.createStatement(); ResultSet range = s.executeQuery(rangeSql)) {
            range.next();
            long low = range.getLong(1);
            long high = range.getLong(2);
            if (range.wasNull()) {
                return; // empty table: nothing to fill
            }
            try (PreparedStatement batch = c.prepareStatement(batchSql)) {
                for (long from = low; from <= high; from += batchKeys) {
                    batch.setLong(1, from);
                    batch.setLong(2, from + batchKeys);
                    rows += batch.executeUpdate();
                    batches++;
                    if (!pause.isZero()) {
                        Thread.sleep(pause.toMillis());
                    }
                }
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Batches run so far. */
    public long batches() {
        return batches;
    }

    /** Rows the batches changed so far. */
    public long rows() {
        return rows;
    }
}
