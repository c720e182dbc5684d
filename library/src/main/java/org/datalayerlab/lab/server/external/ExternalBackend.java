package org.datalayerlab.lab.server.external;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabConfig;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.net.NetworkLinks;
import org.datalayerlab.lab.server.Backend;
import org.datalayerlab.lab.server.JdbcServer;

/**
 * Servers the user runs, from LAB_EXTERNAL_URLS (comma-separated JDBC URLs, the primary first)
 * with LAB_EXTERNAL_USER / LAB_EXTERNAL_PASSWORD. The lab hands them out in order and never
 * stops them; it cannot create, crash or restart them, and says so when a lesson asks.
 */
public final class ExternalBackend implements Backend {

    private final List<ExternalPostgres> configured = new ArrayList<>();
    private final List<NetworkLink> links = new ArrayList<>();
    private int next;

    public ExternalBackend(List<String> jdbcUrls, String user, String password) {
        for (int i = 0; i < jdbcUrls.size(); i++) {
            configured.add(new ExternalPostgres("external" + (i + 1), jdbcUrls.get(i).trim(), user, password));
        }
    }

    /** The servers LAB_EXTERNAL_URLS names, with LAB_EXTERNAL_USER and LAB_EXTERNAL_PASSWORD. */
    public static ExternalBackend from(LabConfig config) {
        return new ExternalBackend(config.externalUrlList(), config.externalUser(), config.externalPassword());
    }

    @Override
    public String name() {
        return "external";
    }

    /** The next configured server not handed out yet; the settings are applied with ALTER SYSTEM. */
    @Override
    public synchronized Postgres postgres(String name, Settings settings) {
        if (next >= configured.size()) {
            throw new LabException("the external backend has " + configured.size() + " server(s) in LAB_EXTERNAL_URLS"
                    + " and all are in use: add more URLs, or run this lesson on LAB_BACKEND=embedded");
        }
        ExternalPostgres pg = configured.get(next++);
        settings.asMap().forEach(pg::set);
        return pg;
    }

    /** The configured primary (the one not in recovery) with {@code spec.replicaCount()} of its standbys. */
    @Override
    public synchronized Cluster cluster(String name, ClusterSpec spec) {
        ExternalPostgres primary = null;
        List<Postgres> replicas = new ArrayList<>();
        for (ExternalPostgres pg : configured) {
            if (pg.isReplica()) {
                replicas.add(pg);
            } else if (primary == null) {
                primary = pg;
            }
        }
        if (primary == null || replicas.size() < spec.replicaCount()) {
            throw new LabException("the external backend cannot build a cluster: it needs a primary and "
                    + spec.replicaCount() + " streaming replica(s) in LAB_EXTERNAL_URLS, found "
                    + (primary == null ? "no primary" : "a primary") + " and " + replicas.size() + " replica(s)");
        }
        return new ExternalCluster(primary, replicas.subList(0, spec.replicaCount()), spec);
    }

    @Override
    public synchronized NetworkLink link(Postgres target) {
        NetworkLink l = NetworkLinks.inJvm(target.host(), target.port());
        links.add(l);
        return l;
    }

    /** Closes the lab's pools and proxies; the servers are the user's and keep running. */
    @Override
    public synchronized void close() {
        links.forEach(NetworkLink::close);
        configured.forEach(ExternalPostgres::release);
    }

    static String unsupported(String what) {
        return what + " is not possible on the external backend: the lab does not control those servers' processes."
                + " Do it with your own tools, or run this lesson with LAB_BACKEND=embedded.";
    }

    /** A server reached by URL. */
    static final class ExternalPostgres extends JdbcServer {
        private final String name;
        private final String url;
        private final String user;
        private final String password;
        private final URI parsed;

        ExternalPostgres(String name, String url, String user, String password) {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new LabException("LAB_EXTERNAL_URLS: '" + url + "' is not a PostgreSQL JDBC URL"
                        + " (expected jdbc:postgresql://host:port/database)");
            }
            this.name = name;
            this.url = url;
            this.user = user;
            this.password = password;
            this.parsed = URI.create(url.substring("jdbc:".length()));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String host() {
            return parsed.getHost();
        }

        @Override
        public int port() {
            return parsed.getPort() < 0 ? 5432 : parsed.getPort();
        }

        @Override
        public String database() {
            String path = parsed.getPath();
            return path == null || path.length() <= 1 ? "postgres" : path.substring(1);
        }

        @Override
        public String jdbcUrl() {
            return url;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public String password() {
            return password;
        }

        @Override
        public boolean isRunning() {
            try (var c = connect()) {
                return c.isValid(2);
            } catch (java.sql.SQLException e) {
                return false;
            }
        }

        @Override
        public void start() {
            if (!isRunning()) {
                throw new LabException(unsupported("starting " + name + " (" + url + ")"));
            }
        }

        @Override
        public void stop() {
            throw new LabException(unsupported("stopping " + name));
        }

        @Override
        public void restart() {
            throw new LabException(unsupported("restarting " + name));
        }

        @Override
        protected void restartToApply(String parameter) {
            throw new LabException(parameter + " was written with ALTER SYSTEM on " + name + " but takes effect only"
                    + " after a restart, and the lab does not control that server's process: restart it yourself.");
        }

        @Override
        public void kill9() {
            throw new LabException(unsupported("kill -9 of " + name));
        }

        @Override
        public long pid() {
            return -1;
        }

        void release() {
            closePools();
        }

        /** The lab does not own this server: closing it only lets go of its connections. */
        @Override
        public void close() {
            closePools();
        }
    }

    /** A primary and replicas the user set up; the lab can read them but not change the topology. */
    private record ExternalCluster(Postgres primary, List<Postgres> replicas, ClusterSpec spec) implements Cluster {
        @Override
        public Postgres addReplica() {
            throw new LabException(unsupported("adding a replica"));
        }

        @Override
        public Postgres addReplica(Settings s) {
            throw new LabException(unsupported("adding a replica"));
        }

        @Override
        public Postgres promote(Postgres replica) {
            throw new LabException(unsupported("promoting a replica"));
        }

        @Override
        public NetworkLink replicationLink(Postgres replica) {
            throw new LabException(unsupported("re-pointing a replica's replication connection"));
        }
    }
}
