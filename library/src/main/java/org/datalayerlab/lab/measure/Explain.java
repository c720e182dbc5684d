package org.datalayerlab.lab.measure;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.datalayerlab.lab.LabException;

/**
 * PostgreSQL's EXPLAIN for one query, as readable text and as numbers a check cell can assert on.
 *
 * <pre>{@code
 * Explain.Plan p = Explain.analyze(connection, "SELECT * FROM flights WHERE id = 42");
 * System.out.println(p.text());          // the plan tree, PostgreSQL's text layout
 * p.executionMs();                        // Execution Time
 * p.buffers();                            // shared buffers hit + read by the whole plan
 * p.has("Seq Scan"); p.usesIndex("flights_id_idx");
 * }</pre>
 *
 * Both methods ask PostgreSQL for {@code FORMAT JSON} and parse it, so the text and the numbers
 * come from the same run. {@link #analyze} EXECUTES the statement (for INSERT, UPDATE or DELETE
 * that changes data: wrap it in a transaction you roll back); {@link #plan} only plans it.
 * Session settings (for example {@code SET enable_seqscan = off}) apply when you pass the
 * connection you set them on.
 */
public final class Explain {

    private Explain() {
    }

    /** {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) sql}: runs the query and returns what happened. */
    public static Plan analyze(Connection connection, String sql) {
        return run(connection, sql, true);
    }

    /** {@code EXPLAIN (FORMAT JSON) sql}: the plan the planner chose, without running it (no actual rows, times or buffers). */
    public static Plan plan(Connection connection, String sql) {
        return run(connection, sql, false);
    }

    /** As {@link #analyze(Connection, String)} on a connection borrowed from {@code dataSource}. */
    public static Plan analyze(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection()) {
            return analyze(c, sql);
        } catch (SQLException e) {
            throw new LabException("could not connect to explain " + sql + ": " + e.getMessage(), e);
        }
    }

    /** As {@link #plan(Connection, String)} on a connection borrowed from {@code dataSource}. */
    public static Plan plan(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection()) {
            return plan(c, sql);
        } catch (SQLException e) {
            throw new LabException("could not connect to explain " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Plan run(Connection connection, String sql, boolean analyze) {
        if (connection == null) {
            throw new IllegalArgumentException("pass a connection to explain on");
        }
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("pass the SQL statement to explain, e.g. \"SELECT * FROM t WHERE id = 1\"");
        }
        String trimmed = sql.strip();
        if (trimmed.toLowerCase(Locale.ROOT).startsWith("explain")) {
            throw new IllegalArgumentException("pass the statement without EXPLAIN; Explain adds it: " + sql);
        }
        String explain = (analyze ? "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " : "EXPLAIN (FORMAT JSON) ") + trimmed;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(explain)) {
            if (!rs.next()) {
                throw new LabException("EXPLAIN returned no rows for " + sql);
            }
            JsonArray array = JsonParser.parseString(rs.getString(1)).getAsJsonArray();
            return new Plan(trimmed, array.get(0).getAsJsonObject(), analyze);
        } catch (SQLException e) {
            throw new LabException("EXPLAIN failed for " + sql + ": " + e.getMessage(), e);
        }
    }

    /** A whole plan: the tree of {@link Node}s plus planning and execution time. */
    public static final class Plan {

        private final String sql;
        private final JsonObject json;
        private final boolean analyzed;
        private final Node root;

        Plan(String sql, JsonObject json, boolean analyzed) {
            this.sql = sql;
            this.json = json;
            this.analyzed = analyzed;
            this.root = new Node(json.getAsJsonObject("Plan"), analyzed);
        }

        /** The statement that was explained. */
        public String sql() {
            return sql;
        }

        /** true if the query ran ({@link Explain#analyze}), so actual rows, times and buffers are known. */
        public boolean analyzed() {
            return analyzed;
        }

        /** The top node of the plan. */
        public Node root() {
            return root;
        }

        /** Every node, depth first from the root. */
        public List<Node> nodes() {
            List<Node> out = new ArrayList<>();
            collect(root, out);
            return Collections.unmodifiableList(out);
        }

        private static void collect(Node n, List<Node> out) {
            out.add(n);
            for (Node c : n.children()) {
                collect(c, out);
            }
        }

        /** true if some node has this type, e.g. "Seq Scan", "Index Scan", "Bitmap Heap Scan", "Sort". */
        public boolean has(String nodeType) {
            return nodes().stream().anyMatch(n -> n.type().equals(nodeType));
        }

        /** The nodes of this type (empty if none). */
        public List<Node> nodes(String nodeType) {
            return nodes().stream().filter(n -> n.type().equals(nodeType)).toList();
        }

        /** true if some node reads the index with this name. */
        public boolean usesIndex(String indexName) {
            return nodes().stream().anyMatch(n -> indexName.equals(n.index()));
        }

        /** The names of the indexes the plan reads, in plan order. */
        public List<String> indexes() {
            return nodes().stream().map(Node::index).filter(i -> i != null).distinct().toList();
        }

        /** Execution Time in ms (NaN unless analyzed). */
        public double executionMs() {
            return number(json, "Execution Time");
        }

        /** Planning Time in ms (NaN unless analyzed). */
        public double planningMs() {
            return number(json, "Planning Time");
        }

        /** Shared buffers found in PostgreSQL's cache by the whole plan (0 unless analyzed). */
        public long sharedHit() {
            return root.sharedHit();
        }

        /** Shared buffers read from the OS (page cache or disk) by the whole plan (0 unless analyzed). */
        public long sharedRead() {
            return root.sharedRead();
        }

        /** Pages (8 kB buffers) the whole plan touched: shared hit + read. */
        public long buffers() {
            return sharedHit() + sharedRead();
        }

        /** Rows the top node returned (NaN-free: 0 unless analyzed). */
        public long rows() {
            return root.actualRows();
        }

        /** The raw EXPLAIN JSON object ("Plan", "Planning Time", "Execution Time", ...). */
        public JsonObject json() {
            return json.deepCopy();
        }

        /** The plan tree laid out like PostgreSQL's text format, with planning and execution time. */
        public String text() {
            StringBuilder b = new StringBuilder();
            render(root, 0, b);
            if (analyzed) {
                b.append(String.format(Locale.ROOT, "Planning Time: %.3f ms%n", planningMs()));
                b.append(String.format(Locale.ROOT, "Execution Time: %.3f ms%n", executionMs()));
            }
            return b.toString();
        }

        /** One line: the top node, rows, buffers and execution time. */
        public String summary() {
            String nodes = String.join(" > ", nodes().stream().map(Node::title).toList());
            return analyzed
                    ? String.format(Locale.ROOT, "%s: %d rows, %d buffers, %.3f ms", nodes, rows(), buffers(), executionMs())
                    : nodes;
        }

        @Override
        public String toString() {
            return text();
        }

        private static void render(Node n, int depth, StringBuilder b) {
            String pad = "      ".repeat(Math.max(0, depth - 1)) + (depth > 0 ? "  ->  " : "");
            String detailPad = "      ".repeat(depth) + "  ";
            b.append(pad).append(n.title());
            JsonObject j = n.json;
            b.append(String.format(Locale.ROOT, "  (cost=%.2f..%.2f rows=%d width=%d)",
                    number(j, "Startup Cost"), number(j, "Total Cost"), (long) number(j, "Plan Rows"), (long) number(j, "Plan Width")));
            if (n.analyzed) {
                if (j.has("Actual Total Time")) {
                    b.append(String.format(Locale.ROOT, " (actual time=%.3f..%.3f rows=%d loops=%d)",
                            number(j, "Actual Startup Time"), number(j, "Actual Total Time"), n.actualRows(), n.loops()));
                } else {
                    b.append(String.format(Locale.ROOT, " (actual rows=%d loops=%d)", n.actualRows(), n.loops()));
                }
            }
            b.append('\n');
            for (String key : List.of("Index Cond", "Recheck Cond", "Filter", "Rows Removed by Filter",
                    "Rows Removed by Index Recheck", "Heap Fetches", "Exact Heap Blocks", "Lossy Heap Blocks",
                    "Sort Key", "Sort Method", "Group Key")) {
                if (j.has(key)) {
                    JsonElement v = j.get(key);
                    String value = v.isJsonArray() ? join(v.getAsJsonArray()) : v.getAsString();
                    if (value.equals("0") && (key.startsWith("Rows Removed") || key.endsWith("Heap Blocks"))) {
                        continue; // PostgreSQL's text format leaves out these counters when they are zero
                    }
                    b.append(detailPad).append(key).append(": ").append(value).append('\n');
                }
            }
            if (n.analyzed && (n.sharedHit() > 0 || n.sharedRead() > 0)) {
                b.append(detailPad).append("Buffers: shared");
                if (n.sharedHit() > 0) {
                    b.append(" hit=").append(n.sharedHit());
                }
                if (n.sharedRead() > 0) {
                    b.append(" read=").append(n.sharedRead());
                }
                b.append('\n');
            }
            for (Node c : n.children()) {
                render(c, depth + 1, b);
            }
        }

        private static String join(JsonArray a) {
            List<String> parts = new ArrayList<>();
            a.forEach(e -> parts.add(e.getAsString()));
            return String.join(", ", parts);
        }
    }

    /** One node of a plan: what it does, on which table or index, its conditions, rows and buffers. */
    public static final class Node {

        private final JsonObject json;
        private final boolean analyzed;
        private final List<Node> children;

        Node(JsonObject json, boolean analyzed) {
            this.json = json;
            this.analyzed = analyzed;
            List<Node> kids = new ArrayList<>();
            if (json.has("Plans")) {
                for (JsonElement e : json.getAsJsonArray("Plans")) {
                    kids.add(new Node(e.getAsJsonObject(), analyzed));
                }
            }
            this.children = Collections.unmodifiableList(kids);
        }

        /** "Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Index Scan", "Bitmap Heap Scan", "Sort", "Aggregate", ... */
        public String type() {
            return string("Node Type");
        }

        /** The table it reads, or null. */
        public String relation() {
            return string("Relation Name");
        }

        /** The index it reads, or null. */
        public String index() {
            return string("Index Name");
        }

        /** The condition used to search the index (Index Cond), or null. */
        public String indexCond() {
            return string("Index Cond");
        }

        /** The condition applied to rows after they were fetched (Filter), or null. */
        public String filter() {
            return string("Filter");
        }

        /** Rows this node returned per loop (0 unless analyzed). */
        public long actualRows() {
            return (long) zeroIfNaN(number(json, "Actual Rows"));
        }

        /** Rows the planner expected. */
        public long estimatedRows() {
            return (long) zeroIfNaN(number(json, "Plan Rows"));
        }

        public long loops() {
            return (long) zeroIfNaN(number(json, "Actual Loops"));
        }

        /** Rows fetched and then thrown away by the Filter (0 if none or not analyzed). */
        public long rowsRemovedByFilter() {
            return (long) zeroIfNaN(number(json, "Rows Removed by Filter"));
        }

        /** Shared buffers hit by this node and the nodes below it. */
        public long sharedHit() {
            return (long) zeroIfNaN(number(json, "Shared Hit Blocks"));
        }

        /** Shared buffers read by this node and the nodes below it. */
        public long sharedRead() {
            return (long) zeroIfNaN(number(json, "Shared Read Blocks"));
        }

        /** Pages this node and the nodes below it touched: shared hit + read. */
        public long buffers() {
            return sharedHit() + sharedRead();
        }

        public List<Node> children() {
            return children;
        }

        /** Any field of this node's JSON as text ("Scan Direction", "Sort Method", ...), or null. */
        public String get(String key) {
            return string(key);
        }

        /** The node's first line: "Index Scan using flights_pkey on flights". */
        public String title() {
            StringBuilder b = new StringBuilder(type());
            if ("Backward".equals(string("Scan Direction"))) {
                b.append(" Backward");
            }
            if (index() != null) {
                b.append(type().startsWith("Bitmap Index") ? " on " : " using ").append(index());
            }
            if (relation() != null) {
                b.append(" on ").append(relation());
                String alias = string("Alias");
                if (alias != null && !alias.equals(relation())) {
                    b.append(' ').append(alias);
                }
            }
            return b.toString();
        }

        @Override
        public String toString() {
            return title();
        }

        private String string(String key) {
            JsonElement e = json.get(key);
            return e == null || e.isJsonNull() ? null : e.isJsonPrimitive() ? e.getAsString() : e.toString();
        }
    }

    private static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() ? Double.NaN : e.getAsDouble();
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
