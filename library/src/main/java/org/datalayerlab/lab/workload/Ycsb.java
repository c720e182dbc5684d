package org.datalayerlab.lab.workload;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * YCSB's core workloads on a PostgreSQL table {@code usertable(ycsb_key text primary key,
 * field0 .. fieldN-1 text)}: a loader and the standard operation mixes A to F.
 *
 * <pre>{@code
 * Ycsb ycsb = Ycsb.usertable(server.dataSource()).records(10_000).load();
 * Result a = Driver.closedLoop(ycsb.workload(Ycsb.Mix.A)).threads(4).duration(Duration.ofSeconds(5)).run();
 * }</pre>
 *
 * Keys are "user" plus a zero-padded number, in key order, so scans (E) read neighbouring
 * keys. As in YCSB, requests follow scrambled zipfian (0.99) unless another {@link Keys} is
 * given ("latest" for D), an update writes one random field, a read returns all fields, a
 * scan reads 1 to 100 rows, and read-modify-write is a read then an update (autocommit).
 */
public final class Ycsb {

    /** YCSB's core workload mixes (proportions of read, update, insert, scan, read-modify-write). */
    public enum Mix {
        /** Update heavy: 50% read, 50% update. */
        A(0.5, 0.5, 0, 0, 0),
        /** Read mostly: 95% read, 5% update. */
        B(0.95, 0.05, 0, 0, 0),
        /** Read only. */
        C(1, 0, 0, 0, 0),
        /** Read latest: 95% read, 5% insert, reads favour the newest keys. */
        D(0.95, 0, 0.05, 0, 0),
        /** Short ranges: 95% scan, 5% insert. */
        E(0, 0, 0.05, 0.95, 0),
        /** Read-modify-write: 50% read, 50% read-modify-write. */
        F(0.5, 0, 0, 0, 0.5);

        final double read;
        final double update;
        final double insert;
        final double scan;
        final double readModifyWrite;

        Mix(double read, double update, double insert, double scan, double readModifyWrite) {
            this.read = read;
            this.update = update;
            this.insert = insert;
            this.scan = scan;
            this.readModifyWrite = readModifyWrite;
        }
    }

    /** YCSB workload E's longest scan. */
    public static final int MAX_SCAN_LENGTH = 100;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private final DataSource dataSource;
    private String table = "usertable";
    private long records = 1000;
    private int fields = 10;
    private int fieldLength = 100;
    private long seed = 42;
    private final AtomicLong nextInsertKey = new AtomicLong(-1);

    private Ycsb(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource is null");
    }

    /** YCSB's table on this server: 1000 records of 10 fields of 100 characters unless changed. */
    public static Ycsb usertable(DataSource dataSource) {
        return new Ycsb(dataSource);
    }

    /** Table name (default usertable). */
    public Ycsb table(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("table name must be a lower-case SQL identifier, got " + name);
        }
        this.table = name;
        return this;
    }

    /** Number of records loaded (and the key space of the default key chooser). */
    public Ycsb records(long records) {
        if (records < 1) {
            throw new IllegalArgumentException("records must be at least 1, got " + records);
        }
        this.records = records;
        return this;
    }

    /** Fields per record (YCSB: 10; fewer keeps ci runs small). */
    public Ycsb fields(int fields) {
        if (fields < 1 || fields > 100) {
            throw new IllegalArgumentException("fields must be between 1 and 100, got " + fields);
        }
        this.fields = fields;
        return this;
    }

    /** Characters per field (YCSB: 100). */
    public Ycsb fieldLength(int fieldLength) {
        if (fieldLength < 1 || fieldLength > 100_000) {
            throw new IllegalArgumentException("fieldLength must be between 1 and 100000, got " + fieldLength);
        }
        this.fieldLength = fieldLength;
        return this;
    }

    /** Seed of the loaded values (default 42). */
    public Ycsb seed(long seed) {
        this.seed = seed;
        return this;
    }

    public long records() {
        return records;
    }

    public String tableName() {
        return table;
    }

    /** The key of record {@code n}: "user" and 12 digits, so text order is numeric order. */
    public static String key(long n) {
        return String.format("user%012d", n);
    }

    /** Drops and re-creates the table, loads the records with COPY, adds the primary key, analyzes. */
    public Ycsb load() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("DROP TABLE IF EXISTS " + table);
            StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (ycsb_key text NOT NULL");
            for (int f = 0; f < fields; f++) {
                ddl.append(", field").append(f).append(" text");
            }
            st.execute(ddl.append(")").toString());
            copyRecords(c);
            st.execute("ALTER TABLE " + table + " ADD PRIMARY KEY (ycsb_key)");
            st.execute("VACUUM ANALYZE " + table);
        } catch (SQLException e) {
            throw new IllegalStateException("loading YCSB table " + table + " failed: " + e.getMessage(), e);
        }
        nextInsertKey.set(records);
        return this;
    }

    private void copyRecords(Connection c) throws SQLException {
        SplittableRandom random = new SplittableRandom(seed);
        try (CopyRows copy = new CopyRows(c, table, StandardCharsets.UTF_8)) {
            for (long n = 0; n < records; n++) {
                StringBuilder row = copy.row().append(key(n));
                for (int f = 0; f < fields; f++) {
                    row.append('\t');
                    appendValue(row, random, fieldLength);
                }
                copy.endRow();
            }
            copy.finish();
        }
    }

    private static void appendValue(StringBuilder sb, SplittableRandom random, int length) {
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
    }

    /** The mix with YCSB's default request distribution (scrambled zipfian; latest for D). */
    public Workload workload(Mix mix) {
        Objects.requireNonNull(mix, "mix");
        return workload(mix, mix == Mix.D ? Keys.latest(records) : Keys.scrambledZipfian(records));
    }

    /** The mix with keys chosen by {@code keys} (its key count should not exceed the records loaded). */
    public Workload workload(Mix mix, Keys keys) {
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(keys, "keys");
        if (mix.insert > 0) {
            initInsertKeys();
        }
        AtomicLong inserted = nextInsertKey;
        return Workload.named("YCSB " + mix.name(), (thread, threadSeed) -> {
            SplittableRandom random = new SplittableRandom(threadSeed);
            KeyChooser chooser = keys.chooser(random.nextLong(), () -> Math.max(inserted.get(), keys.keyCount()));
            return new YcsbWorker(mix, chooser, random);
        });
    }

    /** Inserts continue after the highest key in the table, even when it was loaded by another object. */
    private void initInsertKeys() {
        if (nextInsertKey.get() >= 0) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(ycsb_key) FROM " + table)) {
            rs.next();
            String max = rs.getString(1);
            nextInsertKey.compareAndSet(-1, max == null ? 0 : Long.parseLong(max.substring(4)) + 1);
        } catch (SQLException e) {
            throw new IllegalStateException("table " + table + " is not readable (" + e.getMessage() + "): call load() first", e);
        }
    }

    /** One thread's connection and statements. */
    private final class YcsbWorker extends JdbcWorker {
        private final Mix mix;
        private final KeyChooser keys;
        private final SplittableRandom random;
        private PreparedStatement read;
        private PreparedStatement scan;
        private PreparedStatement insert;
        private PreparedStatement[] update;

        YcsbWorker(Mix mix, KeyChooser keys, SplittableRandom random) {
            super(dataSource);
            this.mix = mix;
            this.keys = keys;
            this.random = random;
        }

        @Override
        protected void open(Connection c) throws SQLException {
            c.setAutoCommit(true);
            read = c.prepareStatement("SELECT * FROM " + table + " WHERE ycsb_key = ?");
            scan = c.prepareStatement("SELECT * FROM " + table + " WHERE ycsb_key >= ? ORDER BY ycsb_key LIMIT ?");
            StringBuilder values = new StringBuilder("?");
            for (int f = 0; f < fields; f++) {
                values.append(", ?");
            }
            insert = c.prepareStatement("INSERT INTO " + table + " VALUES (" + values + ")");
            update = new PreparedStatement[fields];
            for (int f = 0; f < fields; f++) {
                update[f] = c.prepareStatement("UPDATE " + table + " SET field" + f + " = ? WHERE ycsb_key = ?");
            }
        }

        @Override
        protected String run(Connection c) throws SQLException {
            double p = random.nextDouble();
            if ((p -= mix.read) < 0) {
                read(key(keys.next()));
                return "read";
            }
            if ((p -= mix.update) < 0) {
                update(key(keys.next()));
                return "update";
            }
            if ((p -= mix.insert) < 0) {
                insert(key(nextInsertKey.getAndIncrement()));
                return "insert";
            }
            if ((p -= mix.scan) < 0) {
                scan(key(keys.next()), 1 + random.nextInt(MAX_SCAN_LENGTH));
                return "scan";
            }
            String k = key(keys.next());
            read(k);
            update(k);
            return "read-modify-write";
        }

        private void read(String key) throws SQLException {
            read.setString(1, key);
            consume(read);
        }

        private void scan(String from, int length) throws SQLException {
            scan.setString(1, from);
            scan.setInt(2, length);
            consume(scan);
        }

        private void consume(PreparedStatement query) throws SQLException {
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    for (int f = 2; f <= fields + 1; f++) {
                        rs.getString(f);
                    }
                }
            }
        }

        private void update(String key) throws SQLException {
            PreparedStatement st = update[random.nextInt(fields)];
            st.setString(1, value());
            st.setString(2, key);
            st.executeUpdate();
        }

        private void insert(String key) throws SQLException {
            insert.setString(1, key);
            for (int f = 0; f < fields; f++) {
                insert.setString(f + 2, value());
            }
            insert.executeUpdate();
        }

        private String value() {
            StringBuilder sb = new StringBuilder(fieldLength);
            appendValue(sb, random, fieldLength);
            return sb.toString();
        }
    }
}
