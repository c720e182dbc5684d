package org.datalayerlab.lab.server.containers;

import java.security.SecureRandom;
import java.util.List;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.server.Loopback;

/**
 * What the containers backend tells Docker and PostgreSQL, as plain text: the scripts the
 * official postgres image runs, configuration lines, conninfo strings and SQL. Kept apart from
 * the Docker calls so all of it is unit-tested without a Docker engine.
 *
 * <p>How a container server is laid out: lesson settings are appended to
 * {@code $PGDATA/postgresql.conf} (so {@code ALTER SYSTEM} overrides them, as on the embedded
 * backend), which ends by including {@link #REPLICATION_CONF}, a file outside the data directory
 * holding a standby's primary_conninfo and slot. Re-pointing a standby rewrites that file, even
 * while the container is stopped, and a base backup never copies it.
 *
 * <p>Where servers listen: every container runs on the host's network and its PostgreSQL listens
 * on 127.0.0.1 only, at a port the lab picks (given on the command line, so neither a base backup
 * nor ALTER SYSTEM changes it). So replicas, links and clients all meet on this machine's loopback,
 * as on the embedded backend, and nothing is reachable from another machine.
 */
final class ContainerCommands {

    static final String SUPERUSER = "postgres";
    static final String REPLICATION_USER = "replicator";
    static final String REPLICATION_CONF = "/etc/lab/replication.conf";
    static final String INIT_SCRIPT = "/docker-entrypoint-initdb.d/10-lab.sh";
    static final String REPLICA_SCRIPT = "/usr/local/bin/lab-replica.sh";
    static final String LOOPBACK = Loopback.HOST;

    /** The postgres image logs this once per server start; a fresh primary starts twice (init, then for real). */
    static final String READY_LOG = ".*database system is ready to accept connections.*\\s";
    static final String STANDBY_READY_LOG = ".*database system is ready to accept read-only connections.*\\s";

    /** PostgreSQL 17's own defaults, written out because replication depends on them; a lesson's settings win. */
    static final Settings REPLICATION_DEFAULTS = Settings.of(
            "wal_level", "replica", "max_wal_senders", "10", "max_replication_slots", "10", "hot_standby", "on");

    private static final String HEREDOC_END = "LAB_EOF";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContainerCommands() {
    }

    /** A random password of lower-case letters and digits: safe unquoted in conninfo, shell and SQL. */
    static String newPassword() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Settings written into a new server's postgresql.conf: replication defaults, then the lesson's. */
    static Settings serverSettings(Settings lesson) {
        return REPLICATION_DEFAULTS.with(lesson);
    }

    /**
     * The image runs this once, when it initialises an empty data directory (as the postgres OS
     * user, with a temporary server up): it appends the settings and the include of the
     * replication file to postgresql.conf, and lets the replication role in over the network.
     */
    static String initScript(Settings lesson) {
        return "#!/usr/bin/env bash\n"
                + "# Data Layer Lab: runs once, when the postgres image initialises the data directory\n"
                + "set -euo pipefail\n"
                + "cat >> \"$PGDATA/postgresql.conf\" <<'" + HEREDOC_END + "'\n"
                + "\n# Data Layer Lab: this server's settings (ALTER SYSTEM overrides them)\n"
                + configLines(serverSettings(lesson))
                + "# a standby's upstream; absent on a primary\n"
                + "include_if_exists '" + REPLICATION_CONF + "'\n"
                + HEREDOC_END + "\n"
                + "cat > \"$PGDATA/pg_hba.conf\" <<'" + HEREDOC_END + "'\n"
                + pgHba()
                + HEREDOC_END + "\n";
    }

    /**
     * The whole pg_hba.conf: every TCP login needs a password, since the server listens on this
     * machine's loopback, which every local user reaches (the images' own files trust 127.0.0.1).
     * The Unix socket stays inside the container, as the images have it.
     */
    static String pgHba() {
        return "# Data Layer Lab: a password for every TCP login; the Unix socket is inside the container\n"
                + "local all all trust\n"
                + "host all all 127.0.0.1/32 scram-sha-256\n"
                + "host all all ::1/128 scram-sha-256\n"
                + "host replication " + REPLICATION_USER + " 127.0.0.1/32 scram-sha-256\n";
    }

    /** The server's command: the image's postgres, on its own port of 127.0.0.1. */
    static List<String> serverCommand(int port) {
        return List.of("postgres", "-c", "port=" + port, "-c", "listen_addresses=" + LOOPBACK);
    }

    /** Run on a cluster's primary once it is up; replicas and promoted replicas inherit the role. */
    static String createReplicationRoleSql(String password) {
        return "create role " + REPLICATION_USER + " with replication login password '" + password + "'";
    }

    /** How a standby (or a base backup, without an application_name) reaches its upstream (or a link to it). */
    static String conninfo(String host, int port, String password, String applicationName) {
        return "host=" + host + " port=" + port + " user=" + REPLICATION_USER + " password=" + password
                + (applicationName == null ? "" : " application_name=" + applicationName);
    }

    /**
     * The content of {@link #REPLICATION_CONF} for a standby reaching its upstream at {@code host:port}: its
     * application_name is the replica's name, so synchronous_standby_names "FIRST k (replica1, ...)"
     * and "ANY k (*)" mean the same as on the embedded backend.
     */
    static String replicationConf(String host, int port, String password, String replicaName) {
        return "# written by Data Layer Lab: where this standby streams from\n"
                + "primary_conninfo = " + Settings.quote(conninfo(host, port, password, replicaName)) + "\n"
                + "primary_slot_name = " + Settings.quote(replicaName) + "\n";
    }

    /** {@link #REPLICATION_CONF} of a promoted server: no upstream. */
    static String noReplicationConf() {
        return "# written by Data Layer Lab: a primary, no upstream\n";
    }

    /**
     * The replica container's command. At its first start the data directory is empty: take a
     * base backup of the upstream through the slot the backend created, mark it a standby and
     * append the replica's own settings. At every start, hand over to the image's entrypoint,
     * which runs postgres as PID 1 (so docker stop and kill reach the postmaster).
     */
    static String replicaScript(int upstreamPort, String password, String replicaName, Settings replicaSettings, int port) {
        return "#!/usr/bin/env bash\n"
                + "# Data Layer Lab: " + replicaName + ", a streaming replica of the server at port " + upstreamPort + "\n"
                + "set -euo pipefail\n"
                + "if [ ! -s \"$PGDATA/PG_VERSION\" ]; then\n"
                + "  gosu postgres pg_basebackup -d " + shellQuote(conninfo(LOOPBACK, upstreamPort, password, null))
                + " -D \"$PGDATA\" -X stream -S " + shellQuote(replicaName) + " --checkpoint=fast --no-password\n"
                + "  gosu postgres touch \"$PGDATA/standby.signal\"\n"
                + "  gosu postgres tee -a \"$PGDATA/postgresql.conf\" > /dev/null <<'" + HEREDOC_END + "'\n"
                + "\n# Data Layer Lab: " + replicaName + "'s own settings (ALTER SYSTEM overrides them)\n"
                + configLines(replicaSettings)
                + HEREDOC_END + "\n"
                + "fi\n"
                + "exec docker-entrypoint.sh " + String.join(" ", serverCommand(port)) + "\n";
    }

    /** postgresql.conf lines; refuses values that could end the here-document or the line. */
    static String configLines(Settings settings) {
        settings.asMap().forEach((name, value) -> {
            if (value.contains("\n") || value.contains("\r") || value.contains("\0")) {
                throw new IllegalArgumentException("setting " + name + " has a line break in its value: "
                        + "PostgreSQL settings are one line, e.g. Settings.of(\"work_mem\", \"64MB\")");
            }
        });
        return settings.toConfigFile();
    }

    /** One word for bash, whatever it holds. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /** The last {@code n} lines of a container's log, for error messages. */
    static String tail(String log, int n) {
        String[] lines = log.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
            b.append("  ").append(lines[i]).append('\n');
        }
        return b.toString();
    }
}
