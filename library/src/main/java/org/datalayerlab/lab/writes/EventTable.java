package org.datalayerlab.lab.writes;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.workload.Workload;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A write-heavy table of events {@code (id bigint primary key, account int, amount numeric(12,2),
 * note text, created_at timestamptz)} and the ways to put rows into it that a write-heavy
 * application chooses between: one INSERT per transaction, JDBC batches, COPY. Rows are
 * generated from a seed, so every way writes the same rows.
 *
 * <pre>{@code
 * EventTable events = EventTable.on(server, "events").create();
 * WriteRun one = events.insertOneByOne(EventTable.client(server, false), 2000);
 * WriteRun copy = events.copy(EventTable.client(server, false), 20000);
 * }</pre>
 */
public final class EventTable {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String COLUMNS = "id, account, amount, note, created_at";

    private final Postgres server;
    private final String name;
    private boolean unlogged;
    private int secondaryIndexes;
    private final AtomicLong nextId = new AtomicLong(1);

    private EventTable(Postgres server, String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("table name must be a lower-case SQL identifier, got " + name);
        }
        this.server = Objects.requireNonNull(server, "server");
        this.name = name;
    }

    /** An event table named {@code name} on {@code server}; {@link #create()} makes it. */
    public static EventTable on(Postgres server, String name) {
        return new EventTable(server, name);
    }

    /** CREATE UNLOGGED TABLE: no WAL for its rows, emptied by crash recovery, not replicated. */
    public EventTable unlogged(boolean unlogged) {
        this.unlogged = unlogged;
        return this;
    }

    /** Secondary indexes besides the primary key (0 to 4: account, created_at, amount, note). */
    public EventTable secondaryIndexes(int count) {
        if (count < 0 || count > 4) {
            throw new IllegalArgumentException("secondaryIndexes: 0 to 4 (account, created_at, amount, note), got " + count);
        }
        this.secondaryIndexes = count;
        return this;
    }

    /** Drops the table if it exists and creates it empty. */
    public EventTable create() {
        server.execute("DROP TABLE IF EXISTS " + name);
        server.execute("CREATE " + (unlogged ? "UNLOGGED " : "") + "TABLE " + name
                + " (id bigint PRIMARY KEY, account int NOT NULL, amount numeric(12,2) NOT NULL, note text NOT NULL,"
                + " created_at timestamptz NOT NULL)");
        String[] columns = {"account", "created_at", "amount", "note"};
        for (int i = 0; i < secondaryIndexes; i++) {
            server.execute("CREATE INDEX " + name + "_" + columns[i] + " ON " + name + " (" + columns[i] + ")");
        }
        nextId.set(1);
        return this;
    }

    public String name() {
        return name;
    }

    public long count() {
        return server.queryLong("SELECT count(*) FROM " + name);
    }

    /**
     * A data source for {@code server} whose sessions start with {@code settings} (passed as
     * {@code -c name=value} startup options, e.g. "synchronous_commit", "off"), with pgjdbc's
     * reWriteBatchedInserts on or off.
     */
    public static DataSource client(Postgres server, boolean reWriteBatchedInserts, String... settings) {
        if (settings.length % 2 != 0) {
            throw new IllegalArgumentException("client: pass settings as name, value pairs, e.g. \"synchronous_commit\", \"off\"");
        }
        PGSimpleDataSource ds = server.unpooled(new PGSimpleDataSource());
        ds.setReWriteBatchedInserts(reWriteBatchedInserts);
        StringBuilder options = new StringBuilder();
        for (int i = 0; i < settings.length; i += 2) {
            org.datalayerlab.lab.Settings.checkName(settings[i]);
            if (!settings[i + 1].matches("[A-Za-z0-9_.]+")) {
                throw new IllegalArgumentException("client: setting " + settings[i] + " = '" + settings[i + 1]
                        + "': use a plain word or number");
            }
            options.append(options.length() == 0 ? "" : " ").append("-c ").append(settings[i]).append('=').append(settings[i + 1]);
        }
        if (options.length() > 0) {
            ds.setOptions(options.toString());
        }
        return ds;
    }

    /** {@code rows} INSERTs, each its own transaction (autocommit): one round trip and one commit per row. */
    public WriteRun insertOneByOne(DataSource client, int rows) {
        return timed(client, "one INSERT per transaction", rows, c -> {
            c.setAutoCommit(true);
            try (PreparedStatement insert = c.prepareStatement(insertSql())) {
                for (Row r : nextRows(rows)) {
                    r.bind(insert);
                    insert.executeUpdate();
                }
            }
        });
    }

    /**
     * {@code rows} INSERTs in one transaction, sent in JDBC batches of {@code batchSize}. With
     * reWriteBatchedInserts on (see {@link #client}) pgjdbc rewrites each batch into multi-row
     * INSERT ... VALUES (...), (...) statements.
     */
    public WriteRun insertBatched(DataSource client, int rows, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        return timed(client, "JDBC batches of " + batchSize, rows, c -> {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(insertSql())) {
                int inBatch = 0;
                for (Row r : nextRows(rows)) {
                    r.bind(insert);
                    insert.addBatch();
                    if (++inBatch == batchSize) {
                        insert.executeBatch();
                        inBatch = 0;
                    }
                }
                if (inBatch > 0) {
                    insert.executeBatch();
                }
            }
            c.commit();
        });
    }

    /** {@code rows} rows streamed through COPY ... FROM STDIN in one transaction. */
    public WriteRun copy(DataSource client, int rows) {
        return timed(client, "COPY", rows, c -> {
            c.setAutoCommit(true);
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + name + " (" + COLUMNS + ") FROM STDIN");
            try {
                StringBuilder text = new StringBuilder();
                for (Row r : nextRows(rows)) {
                    r.appendCopyLine(text);
                    if (text.length() > 1 << 20) {
                        write(copy, text);
                    }
                }
                write(copy, text);
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        });
    }

    /** A workload whose every operation inserts one row in its own transaction (for a driver's threads). */
    public Workload oneRowPerTransaction(DataSource client) {
        return Workload.jdbc("one INSERT per transaction into " + name, client, (c, random) -> {
            try (PreparedStatement insert = c.prepareStatement(insertSql())) {
                Row.of(nextId.getAndIncrement()).bind(insert);
                insert.executeUpdate();
            }
        });
    }

    private static void write(CopyIn copy, StringBuilder text) throws SQLException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        text.setLength(0);
    }

    private String insertSql() {
        return "INSERT INTO " + name + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    }

    private List<Row> nextRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1, got " + rows);
        }
        long first = nextId.getAndAdd(rows);
        List<Row> list = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            list.add(Row.of(first + i));
        }
        return list;
    }

    @FunctionalInterface
    private interface ConnectionWork {
        void run(Connection c) throws SQLException;
    }

    private WriteRun timed(DataSource client, String label, int rows, ConnectionWork work) {
        Objects.requireNonNull(client, "client");
        try (Connection c = client.getConnection()) {
            long walBefore = server.walPosition();
            long start = System.nanoTime();
            work.run(c);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new WriteRun(label + (unlogged ? ", unlogged" : ""), rows, seconds, server.walPosition() - walBefore);
        } catch (SQLException e) {
            throw new LabException("writing " + rows + " rows into " + name + " (" + label + ") failed: " + e.getMessage(), e);
        }
    }

    /** One event, generated from its id. */
    private record Row(long id, int account, String amount, String note, java.time.OffsetDateTime createdAt) {
        static Row of(long id) {
            SplittableRandom random = new SplittableRandom(id * 0x9E3779B97F4A7C15L);
            int cents = random.nextInt(1, 1_000_000);
            return new Row(id, random.nextInt(10_000), cents / 100 + "." + String.format("%02d", cents % 100),
                    "event " + id + " " + Long.toHexString(random.nextLong()),
                    java.time.OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, java.time.ZoneOffset.UTC).plusSeconds(id));
        }

        void bind(PreparedStatement st) throws SQLException {
            st.setLong(1, id);
            st.setInt(2, account);
            st.setBigDecimal(3, new java.math.BigDecimal(amount));
            st.setString(4, note);
            st.setObject(5, createdAt);
        }

        void appendCopyLine(StringBuilder sb) {
            sb.append(id).append('\t').append(account).append('\t').append(amount).append('\t').append(note)
                    .append('\t').append(createdAt).append('\n');
        }
    }
}
