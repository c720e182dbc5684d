package org.datalayerlab.lab.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.Wait;
import org.datalayerlab.lab.net.NetworkLink;

/**
 * A primary and streaming replicas, the same on every backend that controls its servers: replicas
 * named replica1, replica2, ... (their application_name and physical slot name), synchronous
 * settings applied once the replicas stream, promote re-points the other replicas at the new
 * primary. A backend supplies only what differs: how a server or a standby is started (a local
 * process, a container) and how a standby is pointed at its upstream.
 *
 * @param <S> the backend's server type
 */
public abstract class StreamingCluster<S extends JdbcServer> implements Cluster {

    /** How long a new or re-pointed standby may take to start streaming. */
    protected static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);

    protected final String name;
    private final ClusterSpec spec;
    private S primary;
    private final List<S> replicas = new ArrayList<>();
    private int replicaSequence;

    protected StreamingCluster(String name, ClusterSpec spec) {
        this.name = name;
        this.spec = spec;
    }

    // --- what a backend supplies ----------------------------------------------------------------

    /** A new primary with {@code settings}, running. */
    protected abstract S startPrimary(Settings settings);

    /**
     * A new standby of {@code upstream}, streaming through the physical slot {@code replicaName}
     * (which exists), with {@code settings} on top of what it copies from the upstream; running.
     */
    protected abstract S startReplica(S upstream, String replicaName, Settings settings);

    /** Points {@code standby} at {@code upstream}, or at nothing when null (it was promoted); reloads it if it runs. */
    protected abstract void pointAt(S standby, S upstream);

    /** A new network link to {@code upstream} (the backend's: Lab.link makes the same). */
    protected abstract NetworkLink linkTo(S upstream);

    /** Points {@code standby} at {@code upstream} reached through {@code link}; reloads it. */
    protected abstract void pointThrough(S standby, S upstream, NetworkLink link);

    /** How a standby reaches {@code upstream}, for error messages. */
    protected String whereReached(S upstream) {
        return upstream.host() + ":" + upstream.port();
    }

    // --- the shared core ------------------------------------------------------------------------

    /** Starts the primary, then the spec's replicas, then synchronous replication; returns this running cluster. Called once by the backend. */
    public final synchronized StreamingCluster<S> startUp() {
        primary = startPrimary(spec.primarySettings());
        for (int i = 0; i < spec.replicaCount(); i++) {
            addReplica();
        }
        // synchronous replication only once the standbys exist, or the first commits would wait for them
        applySynchronousSettings();
        return this;
    }

    private void applySynchronousSettings() {
        primary.execute("alter system set synchronous_standby_names = " + Settings.quote(spec.synchronousStandbyNames()));
        if (spec.synchronousCommitLevel() != null) {
            primary.execute("alter system set synchronous_commit = " + Settings.quote(spec.synchronousCommitLevel()));
        }
        primary.reload();
    }

    @Override
    public synchronized Postgres primary() {
        return primary;
    }

    /** The primary as the backend's own type. */
    protected synchronized S currentPrimary() {
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

    /** A new replica of the current primary, with the spec's replica settings and {@code extra}; returns once it streams. */
    @Override
    public synchronized Postgres addReplica(Settings extra) {
        if (!primary.isRunning()) {
            throw new LabException(name + ": the primary is not running; start it before adding a replica");
        }
        String replicaName = "replica" + (++replicaSequence);
        primary.queryStrings(createSlotSql(replicaName));
        S replica;
        try {
            replica = startReplica(primary, replicaName, spec.replicaSettings().with(extra));
        } catch (RuntimeException e) {
            // a slot nobody reads keeps WAL on the primary for ever
            primary.queryStrings("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '"
                    + replicaName + "'");
            throw e;
        }
        replicas.add(replica);
        awaitStreaming(replicaName);
        return replica;
    }

    @Override
    public synchronized Postgres promote(Postgres target) {
        S promoted = replicaOf(target, "promote");
        if (!promoted.isRunning()) {
            throw new LabException("promote(" + promoted.name() + "): it is not running; start it first");
        }
        if (!"t".equals(promoted.queryString("select pg_promote(true, 60)"))) {
            throw new LabException(promoted.name() + " did not finish promotion within 60 s");
        }
        replicas.remove(promoted);
        pointAt(promoted, null);
        primary = promoted;
        for (S r : replicas) {
            primary.queryStrings(createSlotSql(r.name()));
            // recovery_target_timeline=latest (the default) lets them follow the new timeline;
            // primary_conninfo is reloadable since PostgreSQL 13: the WAL receiver reconnects
            pointAt(r, primary);
        }
        applySynchronousSettings();
        for (S r : replicas) {
            if (r.isRunning()) {
                awaitStreaming(r.name());
            }
        }
        return primary;
    }

    /** {@code target} as one of this cluster's replicas, or a clear error naming {@code verb}. */
    @SuppressWarnings("unchecked")
    protected synchronized S replicaOf(Postgres target, String verb) {
        if (target == null || !replicas.contains(target)) {
            throw new LabException(verb + "(" + (target == null ? "null" : target.name()) + "): not a replica of this"
                    + " cluster; replicas are " + replicas.stream().map(Postgres::name).toList());
        }
        return (S) target;
    }

    /** Waits until the primary sees {@code replicaName} streaming (pg_stat_replication). */
    /** See {@link Cluster#replicationLink}: a link to the primary, and the replica's primary_conninfo re-pointed through it. */
    @Override
    public synchronized NetworkLink replicationLink(Postgres target) {
        S replica = replicaOf(target, "replicationLink");
        S primary = currentPrimary();
        if (!replica.isRunning() || !primary.isRunning()) {
            throw new LabException("replicationLink(" + replica.name() + "): start the primary and the replica first");
        }
        NetworkLink link = linkTo(primary);
        // a reload with a new primary_conninfo makes the standby reconnect (PostgreSQL 13 and later)
        pointThrough(replica, primary, link);
        String sql = "select count(*) from pg_stat_wal_receiver where status = 'streaming' and sender_port = " + link.port();
        Wait.upTo(STREAMING_TIMEOUT).every(Duration.ofMillis(5)).until(() -> replica.queryLong(sql) > 0,
                () -> replica.name() + " did not start streaming through port " + link.port());
        awaitStreaming(replica.name());
        return link;
    }

    protected void awaitStreaming(String replicaName) {
        S upstream = currentPrimary();
        String sql = "select count(*) from pg_stat_replication where application_name = '" + replicaName
                + "' and state = 'streaming'";
        Wait.upTo(STREAMING_TIMEOUT).every(Duration.ofMillis(5)).until(() -> upstream.queryLong(sql) > 0,
                () -> replicaName + " did not start streaming from " + upstream.name() + " (" + whereReached(upstream) + ")");
    }

    /** A physical slot that reserves WAL from now on (kept if it exists already). */
    public static String createSlotSql(String slot) {
        return "select pg_create_physical_replication_slot('" + slot + "', true) where not exists"
                + " (select 1 from pg_replication_slots where slot_name = '" + slot + "')";
    }

    @Override
    public String toString() {
        return name + ": primary " + primary + ", replicas " + replicas;
    }
}
