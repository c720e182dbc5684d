package org.datalayerlab.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.server.Backend;
import org.datalayerlab.lab.server.BackendChoice;
import org.datalayerlab.lab.server.Cleanup;
import org.datalayerlab.lab.server.DockerProbe;
import org.datalayerlab.lab.server.Reaper;

/**
 * The front door: one lab per notebook (or test), closing it stops every server it started and
 * deletes their files.
 *
 * <pre>{@code
 * try (Lab lab = Lab.start()) {
 *     Cluster c = lab.cluster(2);                 // primary + 2 asynchronous streaming replicas
 *     c.primary().execute("create table t(id int)");
 *     long lag = c.lag(c.replica(0));            // bytes of WAL replica1 has not replayed yet
 * }
 * }</pre>
 *
 * The backend comes from LAB_BACKEND (auto | embedded | containers | external); {@link #start()}
 * prints one line saying which and why.
 */
public final class Lab implements AutoCloseable {

    /** Every lab of this JVM not closed yet, oldest first: the library's only process-wide state besides the run directory. */
    private static final Set<Lab> OPEN = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private final Backend backend;
    private final BackendChoice choice;
    private final List<AutoCloseable> extras = new ArrayList<>();
    private final List<Postgres> madeServers = new ArrayList<>();
    private final List<Cluster> madeClusters = new ArrayList<>();
    private int servers;
    private int clusters;
    private boolean closed;

    private Lab(Backend backend, BackendChoice choice) {
        this.backend = backend;
        this.choice = choice;
        register(this);
    }

    private static synchronized void register(Lab lab) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(Lab::closeAllAtExit, "lab-shutdown"));
            hookInstalled = true;
        }
        OPEN.add(lab);
    }

    private static synchronized List<Lab> openLabs() {
        return List.copyOf(OPEN);
    }

    private static synchronized void unregister(Lab lab) {
        OPEN.remove(lab);
    }

    /** On an ordinary JVM exit: close what is open, then delete the run directory (the watchdog covers kill -9). */
    private static void closeAllAtExit() {
        for (Lab lab : openLabs()) {
            try {
                lab.close();
            } catch (RuntimeException | Error e) {
                // exiting anyway: the watchdog or the next start reaps what is left
            }
        }
        Reaper.deleteJvmDir();
    }

    /** A lab on the backend LAB_BACKEND selects; prints which one and why. */
    public static Lab start() {
        Lab lab = start(LabConfig.current());
        System.out.println("Lab backend: " + lab.choice.backend() + " (" + lab.choice.reason() + "); network links: "
                + lab.backend.linkKind());
        return lab;
    }

    /**
     * Closes every lab of this JVM that is still open and returns how many there were. A
     * notebook's lab cell starts with it, so that running the notebook again in the same kernel
     * first stops the servers of the previous run: {@code Lab.closeAll(); Lab lab = Lab.start();}
     */
    public static int closeAll() {
        List<Lab> open = openLabs();
        open.forEach(Lab::close);
        return open.size();
    }

    /** A lab on a given backend ("embedded", "containers", "external"), silently. */
    public static Lab start(String backend) {
        return start(LabConfig.current().withBackend(backend));
    }

    private static Lab start(LabConfig config) {
        BackendChoice choice = BackendChoice.decide(config, () -> DockerProbe.probe(System.getenv()));
        return new Lab(choice.open(config), choice);
    }

    /** Which backend this lab runs on, and why. */
    public BackendChoice backend() {
        return choice;
    }

    /** One server with PostgreSQL's default settings. */
    public Postgres postgres() {
        return postgres(Settings.none());
    }

    /** One server with the given settings, e.g. {@code Settings.of("max_connections", "20")}. */
    public synchronized Postgres postgres(Settings settings) {
        checkOpen();
        return remember(backend.postgres("pg" + (++servers), settings));
    }

    /** {@code n} independent servers (e.g. shards), named pg1, pg2, ... */
    public List<Postgres> servers(int n) {
        return servers(n, Settings.none());
    }

    public List<Postgres> servers(int n, Settings settings) {
        if (n < 1) {
            throw new IllegalArgumentException("servers(" + n + "): ask for 1 or more");
        }
        List<Postgres> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(postgres(settings));
        }
        return List.copyOf(list);
    }

    /** A primary with {@code replicas} asynchronous streaming replicas. */
    public Cluster cluster(int replicas) {
        return cluster(ClusterSpec.replicas(replicas));
    }

    /** A cluster as specified, e.g. {@code ClusterSpec.replicas(2).synchronous("ANY 1")}. */
    public synchronized Cluster cluster(ClusterSpec spec) {
        checkOpen();
        Cluster cluster = backend.cluster("cluster" + (++clusters), spec);
        madeClusters.add(cluster);
        return cluster;
    }

    /**
     * A TCP path to {@code server} that can be delayed, throttled or cut while traffic flows.
     * Connect through it with {@code jdbc:postgresql://link.host():link.port()/...}; closed with the lab.
     */
    public synchronized NetworkLink link(Postgres server) {
        checkOpen();
        return backend.link(server);
    }

    /** What {@link Postgres#link()} calls: a link from the open lab that made {@code server}. */
    static NetworkLink linkTo(Postgres server) {
        for (Lab lab : openLabs()) {
            if (lab.made(server)) {
                return lab.link(server);
            }
        }
        throw new LabException(server.name() + ".link(): no open lab made this server (was its lab closed?);"
                + " start a lab and make the server with lab.postgres() or lab.cluster(...)");
    }

    private synchronized Postgres remember(Postgres server) {
        madeServers.add(server);
        return server;
    }

    /** A server this lab made, alone or in one of its clusters (replicas added later included). */
    private synchronized boolean made(Postgres server) {
        return madeServers.contains(server) || madeClusters.stream().anyMatch(c -> c.servers().contains(server));
    }

    /** An embedded Redis server on 127.0.0.1 (no persistence), stopped with the lab. */
    public Redis redis() {
        return closeLater(Redis.start());
    }

    /** A connection to a new in-memory DuckDB database (columnar analytics), closed with the lab. */
    public java.sql.Connection duckdb() {
        return jdbc("jdbc:duckdb:", "DuckDB (org.duckdb:duckdb_jdbc)");
    }

    /** A connection to a new in-memory H2 database, closed with the lab. */
    public java.sql.Connection h2() {
        return jdbc("jdbc:h2:mem:lab" + System.identityHashCode(this) + "-" + (++servers) + ";DB_CLOSE_DELAY=-1", "H2 (com.h2database:h2)");
    }

    private java.sql.Connection jdbc(String url, String what) {
        try {
            return closeLater(java.sql.DriverManager.getConnection(url));
        } catch (java.sql.SQLException e) {
            throw new LabException("could not open " + what + ": " + e.getMessage(), e);
        }
    }

    /** Registers something to close with the lab (a client, a pool, an engine); returns it. */
    public synchronized <T extends AutoCloseable> T closeLater(T resource) {
        checkOpen();
        extras.add(resource);
        return resource;
    }

    private void checkOpen() {
        if (closed) {
            throw new LabException("this lab is closed: start a new one with Lab.start()");
        }
    }

    /** Stops every server and proxy this lab started and deletes their files. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // a client that fails to close matters less than the servers: carry on, and drop its failure
            new Cleanup().closeNewestFirst(extras);
            backend.close();
        } finally {
            unregister(this);
        }
    }

    @Override
    public String toString() {
        return "Lab[" + choice.backend() + (closed ? ", closed" : "") + "]";
    }
}
