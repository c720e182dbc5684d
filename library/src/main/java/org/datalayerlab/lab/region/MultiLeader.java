package org.datalayerlab.lab.region;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Wait;

/**
 * Multi-leader replication of some tables between servers in different regions, the way
 * PostgreSQL 16 and later offer it: every server publishes the tables and subscribes to every
 * other server's publication with {@code origin = none}, so it forwards only the changes made
 * on it (not those it received), and no change loops around the mesh. Subscriptions connect
 * through the {@link Regions} paths, so changes arrive after half the round trip.
 *
 * <p>PostgreSQL 17 neither detects nor resolves conflicting updates: each server applies the
 * other's row as it arrives. An insert of a key that already exists stops the subscription's
 * apply worker (a unique violation, retried every {@code wal_retrieve_retry_interval}).
 * {@link #close()} drops the subscriptions, then the publications.
 */
public final class MultiLeader implements AutoCloseable {

    private final Regions world;
    private final List<Postgres> leaders;
    private final String publication;
    private final List<String> statements = new ArrayList<>();
    private final Map<Postgres, List<String>> subscriptions = new LinkedHashMap<>();
    private boolean closed;

    private MultiLeader(Regions world, String name, List<Postgres> leaders) {
        this.world = world;
        this.publication = name;
        this.leaders = leaders;
    }

    /**
     * Makes every server in {@code leaders} (each placed in a region of {@code world}, each with
     * {@code wal_level = logical}) publish {@code tables} and subscribe to all the others. The
     * tables must exist on every server with the same rows already (no initial copy).
     */
    public static MultiLeader mesh(Regions world, String name, List<Postgres> leaders, String... tables) {
        Objects.requireNonNull(world, "world");
        if (leaders == null || leaders.size() < 2 || tables.length == 0) {
            throw new IllegalArgumentException("MultiLeader.mesh: pass two or more servers and one or more tables");
        }
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("MultiLeader.mesh: name '" + name + "' must be a lower-case SQL identifier");
        }
        MultiLeader ml = new MultiLeader(world, name, List.copyOf(leaders));
        try {
            ml.build(tables);
        } catch (RuntimeException e) {
            ml.close();
            throw e;
        }
        return ml;
    }

    private void build(String... tables) {
        for (Postgres leader : leaders) {
            String walLevel = leader.show("wal_level");
            if (!"logical".equals(walLevel)) {
                throw new LabException(leader.name() + " has wal_level = " + walLevel + ": start the leaders with"
                        + " Settings.of(\"wal_level\", \"logical\") (logical replication needs it)");
            }
            world.regionOf(leader);
        }
        for (Postgres leader : leaders) {
            run(leader, "create publication " + publication + " for table " + String.join(", ", tables));
            subscriptions.put(leader, new ArrayList<>());
        }
        for (Postgres subscriber : leaders) {
            for (Postgres publisher : leaders) {
                if (publisher == subscriber) {
                    continue;
                }
                String sub = subscriptionName(subscriber, publisher);
                // origin = none: apply only changes made on the publisher itself, so a change never comes back;
                // copy_data = false: the tables already hold the same rows
                run(subscriber, "create subscription " + sub + " connection '"
                        + world.conninfo(world.regionOf(subscriber), publisher) + "' publication " + publication
                        + " with (origin = none, copy_data = false)");
                subscriptions.get(subscriber).add(sub);
            }
        }
        for (Postgres subscriber : leaders) {
            for (String sub : subscriptions.get(subscriber)) {
                Wait.upTo(Duration.ofSeconds(30)).until(() ->
                        subscriber.queryLong("select count(*) from pg_stat_subscription where subname = '" + sub
                                + "' and pid is not null") > 0,
                        () -> "subscription " + sub + " on " + subscriber.name() + " did not start its apply worker");
            }
        }
    }

    private String subscriptionName(Postgres subscriber, Postgres publisher) {
        return publication + "_" + subscriber.name() + "_from_" + publisher.name();
    }

    private void run(Postgres server, String sql) {
        server.execute(sql);
        statements.add(server.name() + ": " + sql.replaceAll("password=\\S+", "password=***"));
    }

    /** The SQL statements this mesh ran, each prefixed with the server it ran on. */
    public List<String> statements() {
        return List.copyOf(statements);
    }

    public List<Postgres> leaders() {
        return leaders;
    }

    /**
     * How many rows of {@code table} differ between the leaders: keys ({@code key} column) whose
     * whole row is not the same on every leader, a row missing on some leader included.
     */
    public long differingRows(String table, String key) {
        Map<String, List<String>> rows = new java.util.HashMap<>();
        for (int i = 0; i < leaders.size(); i++) {
            for (String line : leaders.get(i).queryStrings("select " + key + "::text || ' ' || row_to_json(t)::text from "
                    + table + " t")) {
                String k = line.substring(0, line.indexOf(' '));
                rows.computeIfAbsent(k, x -> new ArrayList<>()).add(line);
            }
        }
        return rows.values().stream()
                .filter(versions -> versions.size() != leaders.size() || versions.stream().distinct().count() > 1)
                .count();
    }

    /**
     * How many times the apply workers on {@code server} have failed
     * ({@code pg_stat_subscription_stats.apply_error_count}, summed over its subscriptions).
     */
    public long applyErrors(Postgres server) {
        return server.queryLong("select coalesce(sum(apply_error_count), 0)::bigint from pg_stat_subscription_stats"
                + " where subname like '" + publication + "\\_%'");
    }

    /** The apply errors of every leader, summed. */
    public long applyErrors() {
        long n = 0;
        for (Postgres leader : leaders) {
            n += applyErrors(leader);
        }
        return n;
    }

    /**
     * Drops every subscription (which also drops its replication slot on the publisher), then
     * the publications. Safe to call twice; a server that is already gone is skipped.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (Map.Entry<Postgres, List<String>> e : subscriptions.entrySet()) {
            for (String sub : e.getValue()) {
                try {
                    if (e.getKey().isRunning()) {
                        e.getKey().execute("drop subscription if exists " + sub);
                    }
                } catch (RuntimeException ex) {
                    first = first == null ? ex : first;
                }
            }
        }
        for (Postgres leader : subscriptions.keySet()) {
            try {
                if (leader.isRunning()) {
                    leader.execute("drop publication if exists " + publication);
                }
            } catch (RuntimeException ex) {
                first = first == null ? ex : first;
            }
        }
        if (first != null) {
            throw new LabException("dropping the multi-leader subscriptions failed: " + first.getMessage(), first);
        }
    }

    @Override
    public String toString() {
        return "MultiLeader " + publication + " over " + leaders.stream().map(Postgres::name).toList();
    }
}
