package org.datalayerlab.lab.server;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Replication;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.net.NetworkLink;

/**
 * A primary and streaming replicas on this machine. The bundled PostgreSQL has no
 * pg_basebackup, so a replica is made the way pg_basebackup does it underneath: a physical slot
 * (so the primary keeps the WAL the replica needs), pg_backup_start, a file copy of the data
 * directory, pg_backup_stop's backup_label, then standby.signal and primary_conninfo.
 */
final class LocalCluster implements Cluster {

    private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedBackend backend;
    private final String name;
    private final ClusterSpec spec;
    private LocalPostgres primary;
    private final List<LocalPostgres> replicas = new ArrayList<>();
    private int replicaSequence;

    private LocalCluster(EmbeddedBackend backend, String name, ClusterSpec spec) {
        this.backend = backend;
        this.name = name;
        this.spec = spec;
    }

    static LocalCluster create(EmbeddedBackend backend, String name, ClusterSpec spec) {
        LocalCluster c = new LocalCluster(backend, name, spec);
        c.primary = backend.newServer("primary", name + "-primary", spec.primarySettings());
        c.primary.start();
        for (int i = 0; i < spec.replicaCount(); i++) {
            c.addReplica();
        }
        // synchronous replication only once the standbys exist, or the first commits would wait for them
        c.applySynchronousSettings(c.primary);
        return c;
    }

    private void applySynchronousSettings(LocalPostgres p) {
        p.execute("alter system set synchronous_standby_names = " + Settings.quote(spec.synchronousStandbyNames()));
        if (spec.synchronousCommitLevel() != null) {
            p.execute("alter system set synchronous_commit = " + Settings.quote(spec.synchronousCommitLevel()));
        }
        p.reload();
    }

    @Override
    public synchronized Postgres primary() {
        return primary;
    }

    @Override
    public synchronized List<Postgres> replicas() {
        return Collections.unmodifiableList(new ArrayList<>(replicas));
    }

    @Override
    public ClusterSpec spec() {
        return spec;
    }

    @Override
    public Postgres addReplica() {
        return addReplica(Settings.none());
    }

    @Override
    public synchronized Postgres addReplica(Settings extra) {
        if (!primary.isRunning()) {
            throw new LabException(name + ": the primary is not running; start it before adding a replica");
        }
        String replicaName = "replica" + (++replicaSequence);
        createSlot(primary, replicaName);
        LocalPostgres replica = backend.newEmptyServer(replicaName, name + "-" + replicaName);
        String backupLabel = baseBackup(replica);
        replica.linkWal();
        replica.writeDataFile("backup_label", backupLabel);
        replica.writeDataFile("standby.signal", "");
        // replication settings live in lab.conf; a copied ALTER SYSTEM value would point elsewhere
        stripFromAutoConf(replica, "primary_conninfo", "primary_slot_name");
        // a hot standby needs max_connections & co. at least as high as its primary's: start from the primary's settings
        Settings settings = primary.createdWith().with(spec.replicaSettings()).with(extra);
        replica.writeLabConf(settings, replicationLines(primary, replicaName));
        replica.start();
        replicas.add(replica);
        awaitStreaming(primary, replicaName);
        return replica;
    }

    /** A physical slot that reserves WAL from now on (kept if it exists already). */
    private static void createSlot(LocalPostgres p, String slot) {
        p.queryStrings("select pg_create_physical_replication_slot('" + slot + "', true) where not exists"
                + " (select 1 from pg_replication_slots where slot_name = '" + slot + "')");
    }

    /** pg_backup_start, copy the files, pg_backup_stop, all in one session as the protocol requires. */
    private String baseBackup(LocalPostgres target) {
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            s.execute("select pg_backup_start('" + target.name() + "', true)");
            Files2.copyTree(primary.dataDir(), target.dataDir(), LocalCluster::notInBaseBackup);
            try (ResultSet rs = s.executeQuery("select labelfile from pg_backup_stop(false)")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new LabException(name + ": base backup of the primary failed: " + e.getMessage(), e);
        }
    }

    /** What pg_basebackup leaves out: the running server's pid files, WAL (streamed instead), slots, temp stats. */
    private static boolean notInBaseBackup(java.nio.file.Path rel) {
        String p = rel.toString();
        return p.equals("postmaster.pid") || p.equals("postmaster.opts") || p.equals("standby.signal")
                || p.equals("recovery.signal") || p.equals("backup_label") || p.equals("tablespace_map")
                || p.equals("pg_wal") || p.startsWith("pg_wal/")
                || p.startsWith("pg_replslot/") || p.startsWith("pg_stat_tmp/");
    }

    private static void stripFromAutoConf(LocalPostgres pg, String... parameters) {
        java.nio.file.Path auto = pg.dataDir().resolve("postgresql.auto.conf");
        StringBuilder kept = new StringBuilder();
        for (String line : Files2.read(auto).split("\n", -1)) {
            String trimmed = line.trim();
            boolean drop = false;
            for (String p : parameters) {
                drop |= trimmed.startsWith(p + " ") || trimmed.startsWith(p + "=");
            }
            if (!drop) {
                kept.append(line).append('\n');
            }
        }
        pg.writeDataFile("postgresql.auto.conf", kept.toString().replaceAll("\n+$", "\n"));
    }

    private static String replicationLines(LocalPostgres upstream, String replicaName) {
        return replicationLines(upstream, upstream.host(), upstream.port(), replicaName);
    }

    /** primary_conninfo for {@code upstream}, reached at {@code host:port} (the server itself, or a link to it). */
    private static String replicationLines(LocalPostgres upstream, String host, int port, String replicaName) {
        String conninfo = "host=" + host + " port=" + port + " user=" + upstream.user()
                + " password=" + upstream.password() + " application_name=" + replicaName;
        return "primary_conninfo = " + Settings.quote(conninfo) + "\n"
                + "primary_slot_name = " + Settings.quote(replicaName) + "\n";
    }

    private static void awaitStreaming(LocalPostgres upstream, String replicaName) {
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        String sql = "select count(*) from pg_stat_replication where application_name = '" + replicaName
                + "' and state = 'streaming'";
        while (upstream.queryLong(sql) == 0) {
            if (System.nanoTime() > deadline) {
                throw new LabException(replicaName + " did not start streaming from " + upstream.name() + " (port "
                        + upstream.port() + ") within " + STREAMING_TIMEOUT.toSeconds() + " s");
            }
            JdbcServer.sleep(5);
        }
    }

    @Override
    public synchronized Postgres promote(Postgres target) {
        if (!(target instanceof LocalPostgres) || !replicas.contains(target)) {
            throw new LabException("promote(" + target.name() + "): not a replica of this cluster; replicas are "
                    + replicas.stream().map(LocalPostgres::name).toList());
        }
        LocalPostgres promoted = (LocalPostgres) target;
        if (!promoted.isRunning()) {
            throw new LabException("promote(" + promoted.name() + "): it is not running; start it first");
        }
        if (!"t".equals(promoted.queryString("select pg_promote(true, 60)"))) {
            throw new LabException(promoted.name() + " did not finish promotion within 60 s");
        }
        replicas.remove(promoted);
        promoted.replaceReplicationLines("");
        primary = promoted;
        for (LocalPostgres r : replicas) {
            createSlot(primary, r.name());
            // recovery_target_timeline=latest (the default) lets them follow the new timeline
            r.replaceReplicationLines(replicationLines(primary, r.name()));
        }
        applySynchronousSettings(primary);
        for (LocalPostgres r : replicas) {
            if (r.isRunning()) {
                awaitStreaming(primary, r.name());
            }
        }
        return primary;
    }

    @Override
    public synchronized NetworkLink replicationLink(Postgres target) {
        if (!(target instanceof LocalPostgres) || !replicas.contains(target)) {
            throw new LabException("replicationLink(" + (target == null ? "null" : target.name()) + "): not a replica of this"
                    + " cluster; replicas are " + replicas.stream().map(LocalPostgres::name).toList());
        }
        LocalPostgres replica = (LocalPostgres) target;
        if (!replica.isRunning() || !primary.isRunning()) {
            throw new LabException("replicationLink(" + replica.name() + "): start the primary and the replica first");
        }
        NetworkLink link = backend.link(primary);
        // a reload with a new primary_conninfo makes the standby reconnect (PostgreSQL 13 and later)
        replica.replaceReplicationLines(replicationLines(primary, link.host(), link.port(), replica.name()));
        awaitStreamingFrom(replica, link.port());
        awaitStreaming(primary, replica.name());
        return link;
    }

    /** Waits until the standby's WAL receiver streams from {@code port} (pg_stat_wal_receiver.sender_port). */
    private static void awaitStreamingFrom(LocalPostgres replica, int port) {
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        String sql = "select count(*) from pg_stat_wal_receiver where status = 'streaming' and sender_port = " + port;
        while (replica.queryLong(sql) == 0) {
            if (System.nanoTime() > deadline) {
                throw new LabException(replica.name() + " did not start streaming through port " + port + " within "
                        + STREAMING_TIMEOUT.toSeconds() + " s");
            }
            JdbcServer.sleep(5);
        }
    }

    @Override
    public void awaitReplicas(Duration timeout) {
        Postgres p;
        List<Postgres> rs;
        synchronized (this) {
            p = primary;
            rs = replicas();
        }
        for (Postgres r : rs) {
            if (r.isRunning()) {
                Replication.awaitReplay(p, r, timeout);
            }
        }
    }

    @Override
    public String toString() {
        return name + ": primary " + primary + ", replicas " + replicas;
    }
}
