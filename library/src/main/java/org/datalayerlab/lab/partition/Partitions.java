package org.datalayerlab.lab.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.measure.Explain;

/**
 * What a plan did with a partitioned table, and what the table holds, as numbers a check can
 * assert on:
 *
 * <pre>{@code
 * Explain.Plan p = Explain.analyze(connection, "SELECT count(*) FROM flights WHERE departure < '2001-02-01'");
 * Partitions.scanned(p);          // [flights_2001_01]: the partitions the query read
 * Partitions.subplansRemoved(p);  // partitions pruned when the executor started (run-time pruning)
 * Partitions.of(server, "flights").size();  // N, the partitions there are
 * }</pre>
 */
public final class Partitions {

    /** Plan nodes that read a table (a partition is a table; a foreign partition is read by a Foreign Scan). */
    private static final Set<String> SCANS = Set.of("Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan",
            "Tid Scan", "Tid Range Scan", "Foreign Scan");

    private Partitions() {
    }

    /**
     * The tables the plan reads, in plan order. For an analyzed plan only the scans that ran at
     * least once: a partition pruned while the query ran shows in the plan as "(never executed)".
     * A Foreign Scan that carries a pushed-down aggregate or join names no single table; it shows
     * as its "Relations" text.
     */
    public static List<String> scanned(Explain.Plan plan) {
        List<String> tables = new ArrayList<>();
        for (Explain.Node n : plan.nodes()) {
            if (SCANS.contains(n.type()) && (!plan.analyzed() || n.loops() > 0)) {
                tables.add(n.relation() != null ? n.relation() : String.valueOf(n.get("Relations")));
            }
        }
        return tables;
    }

    /** Partitions the executor removed before or while running (the "Subplans Removed" of every Append), summed. */
    public static long subplansRemoved(Explain.Plan plan) {
        long removed = 0;
        for (Explain.Node n : plan.nodes()) {
            String s = n.get("Subplans Removed");
            if (s != null) {
                removed += Long.parseLong(s);
            }
        }
        return removed;
    }

    /** Rows the plan's Foreign Scans brought back from other servers (actual rows times loops; 0 unless analyzed). */
    public static long foreignRows(Explain.Plan plan) {
        long rows = 0;
        for (Explain.Node n : plan.nodes("Foreign Scan")) {
            rows += n.actualRows() * Math.max(1, n.loops());
        }
        return rows;
    }

    /** The leaf partitions of {@code table} (tables that hold rows, foreign ones included), by name. */
    public static List<String> of(Postgres server, String table) {
        return server.queryStrings("select relid::regclass::text from pg_partition_tree(" + literal(table) + ")"
                + " where isleaf order by 1");
    }

    /** Bytes on disk of {@code table} with its indexes and TOAST, and of all its partitions if it has any. */
    public static long totalBytes(Postgres server, String table) {
        // pg_partition_tree lists nothing for a table that is neither partitioned nor a partition
        return server.queryLong("select coalesce((select sum(pg_total_relation_size(relid)) from pg_partition_tree("
                + literal(table) + ")), pg_total_relation_size(" + literal(table) + "))::bigint");
    }

    private static String literal(String table) {
        if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("pass a plain table name (letters, digits, _ and a schema dot), was: " + table);
        }
        return "'" + table + "'::regclass";
    }
}
