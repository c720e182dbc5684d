package org.datalayerlab.lab.migration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.server.Files2;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.postgresql.ds.PGSimpleDataSource;
import tech.tablesaw.api.Table;

/**
 * Versioned schema migrations with Flyway on one schema of a server, as a deploy would run
 * them, plus the one thing Flyway does not do: try a step again when it gave up waiting for a
 * lock ({@code lock_timeout}, SQLSTATE 55P03).
 *
 * <pre>{@code
 * try (Migrations m = Migrations.on(server, "shop")
 *         .sql("1", "create orders", "create table orders (id serial primary key)")
 *         .sqlOutsideTransaction("2", "index", "create index concurrently orders_x on orders (x)")
 *         .retryOnLockTimeout(20, Duration.ofMillis(50), Duration.ofMillis(400))) {
 *     Migrations.Step step = m.migrateTo("2");   // attempts, lock timeouts, seconds
 * }
 * }</pre>
 *
 * SQL migrations are written as Flyway files ({@code V2__index.sql}) into a temporary folder,
 * deleted on {@link #close()}. Flyway takes its PostgreSQL lock (an advisory lock that keeps
 * two deploys from migrating at once) per session rather than inside a transaction
 * ({@code flyway.postgresql.transactional.lock=false}): a transaction held open for the whole
 * migration would make {@code CREATE INDEX CONCURRENTLY} wait for it, that is for ever.
 */
public final class Migrations implements AutoCloseable {

    /** SQLSTATE lock_not_available: a statement waited longer than {@code lock_timeout}. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";

    /** One call of {@link #migrateTo}: how many tries it took, how many of them hit lock_timeout, how long. */
    public record Step(String version, int attempts, int lockTimeouts, double seconds) {
        @Override
        public String toString() {
            return String.format("V%s: %d attempt%s, %d lock timeout%s, %.2f s", version, attempts, attempts == 1 ? "" : "s",
                    lockTimeouts, lockTimeouts == 1 ? "" : "s", seconds);
        }
    }

    private final Postgres server;
    private final String schema;
    private final Path folder;
    private final List<JavaMigration> javaMigrations = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final SplittableRandom jitter = new SplittableRandom(42);
    private volatile java.util.function.Consumer<String> beforeEach = version -> { };
    private int maxAttempts = 1;
    private Duration firstPause = Duration.ZERO;
    private Duration maxPause = Duration.ZERO;

    private Migrations(Postgres server, String schema) {
        this.server = Objects.requireNonNull(server, "server");
        if (schema == null || !schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Migrations.on: the schema must be a lower-case SQL identifier, got " + schema);
        }
        this.schema = schema;
        try {
            this.folder = Files.createTempDirectory("datalayerlab-migrations-");
        } catch (IOException e) {
            throw new LabException("cannot make a temporary folder for the migration files: " + e.getMessage(), e);
        }
    }

    /** Migrations of {@code schema} on {@code server} (Flyway creates the schema and its history table there). */
    public static Migrations on(Postgres server, String schema) {
        return new Migrations(server, schema);
    }

    /** A versioned SQL migration that runs in one transaction (Flyway's default): all of it or nothing. */
    public Migrations sql(String version, String description, String sql) {
        write(version, description, sql, false);
        return this;
    }

    /**
     * A versioned SQL migration that runs outside a transaction, statement by statement with
     * autocommit (a {@code .sql.conf} file beside it says {@code executeInTransaction=false}):
     * needed for {@code CREATE INDEX CONCURRENTLY}, which refuses to run inside a transaction block.
     */
    public Migrations sqlOutsideTransaction(String version, String description, String sql) {
        write(version, description, sql, true);
        return this;
    }

    /** A migration written in Java (for example a {@link BatchedBackfill}). */
    public Migrations java(JavaMigration migration) {
        javaMigrations.add(Objects.requireNonNull(migration, "migration"));
        return this;
    }

    /**
     * When a migration fails with lock_timeout (55P03), try it again, up to {@code maxAttempts}
     * tries in all, pausing {@code firstPause}, then twice as long each time up to {@code maxPause}
     * (plus up to half as much random jitter). Flyway rolls the failed transactional migration
     * back, so the next try starts clean. Default: no retries.
     */
    public Migrations retryOnLockTimeout(int maxAttempts, Duration firstPause, Duration maxPause) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retryOnLockTimeout: maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (firstPause == null || maxPause == null || firstPause.isNegative() || maxPause.compareTo(firstPause) < 0) {
            throw new IllegalArgumentException("retryOnLockTimeout: pauses must be >= 0 and maxPause >= firstPause, got "
                    + firstPause + " and " + maxPause);
        }
        this.maxAttempts = maxAttempts;
        this.firstPause = firstPause;
        this.maxPause = maxPause;
        return this;
    }

    /**
     * Applies every pending migration up to and including {@code version}. Throws a
     * {@link LabException} naming the version and the cause when a migration fails (or keeps
     * hitting lock_timeout after all its tries).
     */
    public Step migrateTo(String version) {
        Flyway flyway = flyway(version);
        long start = System.nanoTime();
        long pauseNanos = firstPause.toNanos();
        int lockTimeouts = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                flyway.migrate();
                Step step = new Step(version, attempt, lockTimeouts, (System.nanoTime() - start) / 1e9);
                steps.add(step);
                return step;
            } catch (FlywayException e) {
                boolean lockTimeout = LOCK_NOT_AVAILABLE.equals(sqlState(e));
                if (!lockTimeout || attempt >= maxAttempts) {
                    throw new LabException("migrating schema " + schema + " to version " + version + " failed"
                            + (lockTimeout ? " after " + attempt + " attempts, each stopped by lock_timeout" : "")
                            + ": " + rootMessage(e), e);
                }
                lockTimeouts++;
                sleep(pauseNanos + (pauseNanos > 1 ? jitter.nextLong(pauseNanos / 2 + 1) : 0));
                pauseNanos = Math.min(pauseNanos * 2, maxPause.toNanos());
            }
        }
    }

    /**
     * Calls {@code listener} with the version each time Flyway is about to run a migration (every
     * attempt, after Flyway's own set-up: connecting, reading its history, taking its lock), for
     * example to time something against the moment the migration's SQL starts.
     */
    public Migrations beforeEachMigration(java.util.function.Consumer<String> listener) {
        this.beforeEach = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The steps run so far, in order. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The schema these migrations change. */
    public String schema() {
        return schema;
    }

    /** Flyway's schema history: version, description, type, success, execution time. */
    public Table history() {
        return server.sql("select version, description, type, success, execution_time as \"ms\" from "
                + schema + ".flyway_schema_history where version is not null order by installed_rank");
    }

    /**
     * Connections for the application: to the same server, with {@code search_path} set to this
     * schema, so its SQL names tables without a schema. Not pooled (each driver thread keeps one).
     */
    public DataSource appDataSource() {
        PGSimpleDataSource ds = server.unpooled(new PGSimpleDataSource());
        ds.setCurrentSchema(schema);
        return ds;
    }

    /** Deletes the migration files (the schema stays). */
    @Override
    public void close() {
        Files2.deleteTree(folder);
    }

    private Flyway flyway(String target) {
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(server.jdbcUrl(), server.user(), server.password())
                .schemas(schema)
                .createSchemas(true)
                .locations("filesystem:" + folder)
                .javaMigrations(javaMigrations.toArray(JavaMigration[]::new))
                .target(target)
                .callbacks(new BaseCallback() {
                    @Override
                    public boolean supports(Event event, Context context) {
                        return event == Event.BEFORE_EACH_MIGRATE;
                    }

                    @Override
                    public void handle(Event event, Context context) {
                        beforeEach.accept(context.getMigrationInfo().getVersion().getVersion());
                    }
                })
                .loggers("slf4j"); // quiet: the library's slf4j binding writes nothing (no stderr in a notebook)
        // flyway.postgresql.transactional.lock=false: a session advisory lock, not one inside a transaction
        config.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return config.load();
    }

    private void write(String version, String description, String sql, boolean outsideTransaction) {
        if (version == null || !version.matches("[0-9]+(\\.[0-9]+)*")) {
            throw new IllegalArgumentException("a migration version is numbers separated by dots, e.g. \"2\" or \"2.1\"; got " + version);
        }
        if (description == null || description.isBlank() || sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("give migration V" + version + " a description and its SQL");
        }
        String name = "V" + version.replace('.', '_') + "__" + description.trim().replaceAll("[^A-Za-z0-9]+", "_");
        try {
            Files.writeString(folder.resolve(name + ".sql"), sql, StandardCharsets.UTF_8);
            if (outsideTransaction) {
                Files.writeString(folder.resolve(name + ".sql.conf"), "executeInTransaction=false\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new LabException("cannot write migration " + name + " into " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The SQLSTATE of the first SQLException among the causes, or null. */
    static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting to retry a migration", e);
        }
    }
}
