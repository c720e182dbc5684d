package org.datalayerlab.lab.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.datalayerlab.lab.LabConfig;
import org.postgresql.PGConnection;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The real data sets shipped in the repository's {@code datasets/} folder (see its README for
 * provenance and licence). Files are checked against their recorded SHA-256 before use.
 */
public final class Datasets {

    /** One US domestic flight from January to March 2001 (vega-datasets flights-20k.json). */
    public record Flight(LocalDateTime departure, int delayMinutes, int distanceMiles,
                         String origin, String destination) {}

    static final String FLIGHTS = "vega-datasets/flights-20k.json";
    static final String AIRPORTS = "vega-datasets/airports.csv";

    private static final Map<String, String> SHA256 = Map.of(
            FLIGHTS, "52f0ddd892d4569284b845e17323abc9afb7d303ec8f63251634a20327a610bb",
            AIRPORTS, "903c7169e6d558eefb95295fe2947ec8503135fbb855ea5c737cf4a90ea603ad");

    private static final DateTimeFormatter FLIGHT_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");

    private static List<Flight> flights;

    private Datasets() {}

    /**
     * The datasets folder: {@code LAB_DATASETS} if set, else the first {@code datasets/}
     * folder found walking up from the working directory (notebooks run in notebooks/).
     */
    public static Path dir() {
        Path configured = LabConfig.current().datasets();
        if (configured != null) {
            Path p = configured;
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("LAB_DATASETS=" + configured
                        + " is not a directory; point it at the repository's datasets/ folder or unset it");
            }
            return p;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("datasets");
            if (Files.isRegularFile(candidate.resolve(FLIGHTS))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no datasets/ folder with " + FLIGHTS + " above "
                + Path.of("").toAbsolutePath() + "; run from inside the repository or set LAB_DATASETS");
    }

    /** A dataset file, verified against its recorded SHA-256. */
    public static Path file(String relativeName) {
        String expected = SHA256.get(relativeName);
        if (expected == null) {
            throw new IllegalArgumentException("unknown dataset " + relativeName + "; known: " + SHA256.keySet());
        }
        Path path = dir().resolve(relativeName);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("dataset file missing: " + path + "; restore it with git checkout -- datasets/");
        }
        String actual = sha256(path);
        if (!actual.equals(expected)) {
            throw new IllegalStateException("dataset " + path + " has SHA-256 " + actual + " but " + expected
                    + " was recorded; the file is damaged or was edited: restore it with git checkout -- datasets/");
        }
        return path;
    }

    /** All 20,000 flights, in file order (which is departure order). */
    public static synchronized List<Flight> flights() {
        if (flights == null) {
            flights = List.copyOf(parseFlights(read(file(FLIGHTS))));
        }
        return flights;
    }

    /** The flights as a Tablesaw table: departure, delay_min, distance_mi, origin, destination. */
    public static Table flightsTable() {
        List<Flight> all = flights();
        DateTimeColumn departure = DateTimeColumn.create("departure");
        IntColumn delay = IntColumn.create("delay_min");
        IntColumn distance = IntColumn.create("distance_mi");
        StringColumn origin = StringColumn.create("origin");
        StringColumn destination = StringColumn.create("destination");
        for (Flight f : all) {
            departure.append(f.departure());
            delay.append(f.delayMinutes());
            distance.append(f.distanceMiles());
            origin.append(f.origin());
            destination.append(f.destination());
        }
        return Table.create("flights", departure, delay, distance, origin, destination);
    }

    /**
     * Creates {@code tableName} (id, departure, delay_min, distance_mi, origin, destination)
     * on a PostgreSQL connection, fills it with COPY and returns the number of rows.
     * {@code copies} > 1 appends the data set that many times (ids keep counting) for
     * lessons that need more rows than 20,000.
     */
    public static long loadFlights(Connection connection, String tableName, int copies) throws SQLException {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be at least 1, was " + copies);
        }
        return copyFlights(connection, tableName, copies, (id, f) -> true);
    }

    /**
     * Like {@link #loadFlights(Connection, String, int)} with one copy, but keeps only the flights
     * {@code keep} accepts; ids stay those of the whole data set (1..20,000), so rows spread over
     * several servers (shards) can be told apart and put back together:
     * {@code loadFlights(conn, "flights", (id, f) -> router.shardFor(f.origin()) == 2)}.
     */
    public static long loadFlights(Connection connection, String tableName, BiPredicate<Long, Flight> keep) throws SQLException {
        java.util.Objects.requireNonNull(keep, "keep");
        return copyFlights(connection, tableName, 1, keep);
    }

    /** (Re)creates the table and COPYs {@code copies} rounds of the flights that {@code keep} accepts. */
    private static long copyFlights(Connection connection, String tableName, int copies,
                                    BiPredicate<Long, Flight> keep) throws SQLException {
        if (!tableName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("table name must be a plain SQL identifier, was " + tableName);
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + tableName);
            s.execute("CREATE TABLE " + tableName + " (id bigint NOT NULL, departure timestamp NOT NULL,"
                    + " delay_min int NOT NULL, distance_mi int NOT NULL, origin text NOT NULL, destination text NOT NULL)");
        }
        StringBuilder csv = new StringBuilder();
        long id = 0;
        for (int copy = 0; copy < copies; copy++) {
            for (Flight f : flights()) {
                if (keep.test(++id, f)) {
                    csv.append(id).append(',').append(f.departure()).append(',').append(f.delayMinutes()).append(',')
                            .append(f.distanceMiles()).append(',').append(f.origin()).append(',')
                            .append(f.destination()).append('\n');
                }
            }
        }
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + tableName + " FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY into " + tableName + " failed: " + e.getMessage(), e);
        }
    }

    static List<Flight> parseFlights(String json) {
        List<Flight> out = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(json).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            out.add(new Flight(LocalDateTime.parse(o.get("date").getAsString(), FLIGHT_TIME),
                    o.get("delay").getAsInt(), o.get("distance").getAsInt(),
                    o.get("origin").getAsString(), o.get("destination").getAsString()));
        }
        return out;
    }

    private static String read(Path path) {
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[65536];
            for (int n; (n = r.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path path) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(path)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot checksum " + path + ": " + e.getMessage(), e);
        }
    }
}
