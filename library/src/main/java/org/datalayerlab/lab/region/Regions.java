package org.datalayerlab.lab.region;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.net.NetworkLink;
import org.postgresql.ds.PGSimpleDataSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A small world of regions on one machine: the round trip between every pair of regions, the
 * region each server lives in, and paths from a client (or a server) in one region to a server
 * in another, delayed by the round trip between them ({@link NetworkLink}s). Within a region a
 * path is direct (loopback), standing in for the sub-millisecond hop inside a data centre.
 *
 * <pre>{@code
 * Regions world = Regions.of(lab, 0.25)                  // every round trip scaled to a quarter
 *         .roundTrip("us-east", "eu-west", 70)
 *         .roundTrip("eu-west", "ap-south", 150)
 *         .roundTrip("us-east", "ap-south", 230);
 * world.place(primary, "us-east");
 * DataSource fromEurope = world.client("eu-west", primary); // every query pays 0.25 x 70 ms
 * }</pre>
 */
public final class Regions {

    private final Lab lab;
    private final double scale;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Double> roundTripMillis = new HashMap<>();
    private final Map<Postgres, String> placed = new IdentityHashMap<>();
    private final Map<String, DataSource> clients = new HashMap<>();
    private final Map<String, NetworkLink> links = new HashMap<>();

    private Regions(Lab lab, double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("Regions.of(lab, " + scale + "): the scale multiplies every round trip; pass a number above 0 (1 = real distances)");
        }
        this.lab = lab;
        this.scale = scale;
    }

    /** A world whose round trips are the stated ones times {@code scale} (1 = as stated). */
    public static Regions of(Lab lab, double scale) {
        if (lab == null) {
            throw new IllegalArgumentException("Regions.of: pass the lab that starts the servers (Lab.start())");
        }
        return new Regions(lab, scale);
    }

    /** The round trip between two regions, as stated (before scaling), in ms; adds the regions. */
    public Regions roundTrip(String a, String b, double statedMillis) {
        if (a.equals(b) || statedMillis < 0) {
            throw new IllegalArgumentException("roundTrip(" + a + ", " + b + ", " + statedMillis
                    + "): give two different regions and a round trip of 0 ms or more");
        }
        addRegion(a);
        addRegion(b);
        roundTripMillis.put(key(a, b), statedMillis);
        return this;
    }

    private void addRegion(String name) {
        if (!names.contains(name)) {
            names.add(name);
        }
    }

    private static String key(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    /** The regions, in the order they were first named. */
    public List<String> regions() {
        return List.copyOf(names);
    }

    public double scale() {
        return scale;
    }

    /** The round trip a packet pays between the two regions here (stated x scale); zero within a region. */
    public Duration roundTrip(String from, String to) {
        return Duration.ofNanos(Math.round(statedMillis(from, to) * scale * 1e6));
    }

    /** The same in milliseconds. */
    public double roundTripMillis(String from, String to) {
        return statedMillis(from, to) * scale;
    }

    private double statedMillis(String from, String to) {
        check(from);
        check(to);
        if (from.equals(to)) {
            return 0;
        }
        Double ms = roundTripMillis.get(key(from, to));
        if (ms == null) {
            throw new LabException("no round trip between " + from + " and " + to + ": add it with roundTrip(\""
                    + from + "\", \"" + to + "\", ms)");
        }
        return ms;
    }

    private void check(String region) {
        if (!names.contains(region)) {
            throw new LabException("unknown region '" + region + "': the regions are " + names);
        }
    }

    /** Puts {@code server} in {@code region}; returns the server. */
    public Postgres place(Postgres server, String region) {
        check(region);
        placed.put(server, region);
        return server;
    }

    /** The region {@code server} was placed in. */
    public String regionOf(Postgres server) {
        String region = placed.get(server);
        if (region == null) {
            throw new LabException(server.name() + " has no region: place it first with place(server, region)");
        }
        return region;
    }

    /**
     * The path from {@code region} to {@code server}: the server itself within its region, else
     * a link delayed by the round trip between the two regions (one per pair, made on first use).
     */
    public synchronized Endpoint path(String region, Postgres server) {
        String to = regionOf(server);
        if (region.equals(to)) {
            check(region);
            return new Endpoint(server.host(), server.port());
        }
        String k = region + ">" + server.name() + "@" + System.identityHashCode(server);
        NetworkLink link = links.get(k);
        if (link == null) {
            link = lab.link(server).delay(roundTrip(region, to), Duration.ZERO);
            links.put(k, link);
        }
        return new Endpoint(link.host(), link.port());
    }

    /** Where a connection from {@code region} to a server goes: a host and a port. */
    public record Endpoint(String host, int port) {
    }

    /**
     * Connections for a client in {@code region} talking to {@code server}, through the delayed
     * path. Not a pool: every {@code getConnection()} opens a new connection, which costs
     * several round trips (start-up, authentication, the driver's first settings), so use each
     * for many queries, as a {@link org.datalayerlab.lab.workload.Driver}'s threads do (they
     * connect in parallel, during the warm-up). A pool such as HikariCP opens its connections
     * one after the other, which across 230 ms takes seconds per pool.
     */
    public synchronized DataSource client(String region, Postgres server) {
        Endpoint e = path(region, server);
        String k = region + ">" + e.host() + ":" + e.port();
        return clients.computeIfAbsent(k, x -> {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setServerNames(new String[] {e.host()});
            ds.setPortNumbers(new int[] {e.port()});
            ds.setDatabaseName(server.database());
            ds.setUser(server.user());
            ds.setPassword(server.password());
            ds.setConnectTimeout(30);
            ds.setApplicationName("client-" + region);
            return ds;
        });
    }

    /** Delays {@code replica}'s replication connection by the round trip between its region and its primary's. */
    public void replicate(Cluster cluster, Postgres replica) {
        Duration rtt = roundTrip(regionOf(replica), regionOf(cluster.primary()));
        cluster.replicationLink(replica).delay(rtt, Duration.ZERO);
    }

    /**
     * A libpq connection string with which a server in {@code region} reaches {@code server}
     * (for CREATE SUBSCRIPTION ... CONNECTION '...'), through the delayed path.
     */
    public String conninfo(String region, Postgres server) {
        Endpoint e = path(region, server);
        return "host=" + e.host() + " port=" + e.port() + " dbname=" + server.database()
                + " user=" + server.user() + " password=" + server.password();
    }

    /** The round trips between every pair of regions, as stated and as used here, as a table. */
    public Table table() {
        StringColumn from = StringColumn.create("between");
        StringColumn to = StringColumn.create("and");
        DoubleColumn stated = DoubleColumn.create("stated round trip (ms)");
        DoubleColumn used = DoubleColumn.create("used here (ms)");
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                from.append(names.get(i));
                to.append(names.get(j));
                stated.append(statedMillis(names.get(i), names.get(j)));
                used.append(Math.round(roundTripMillis(names.get(i), names.get(j)) * 10) / 10.0);
            }
        }
        return Table.create("Round trips between regions (scale " + scale + ")", from, to, stated, used);
    }

    /** For each region, the servers placed in it (by name). */
    public Map<String, List<String>> placement() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        names.forEach(n -> m.put(n, new ArrayList<>()));
        placed.forEach((s, r) -> m.get(r).add(s.name()));
        return m;
    }

    @Override
    public String toString() {
        return "Regions" + names + " scale " + scale;
    }
}
