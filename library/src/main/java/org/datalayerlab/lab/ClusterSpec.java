package org.datalayerlab.lab;

import java.util.List;
import java.util.Locale;

/**
 * What a replicated cluster looks like: a primary and N streaming replicas, asynchronous by
 * default. {@code ClusterSpec.replicas(2).synchronous("ANY 1").synchronousCommit("remote_apply")}.
 * Immutable: every method returns a changed copy.
 */
public final class ClusterSpec {

    private static final List<String> COMMIT_LEVELS = List.of("off", "local", "remote_write", "on", "remote_apply");

    private final int replicas;
    private final String synchronousStandbyNames;
    private final String synchronousCommit;
    private final Settings primarySettings;
    private final Settings replicaSettings;

    private ClusterSpec(int replicas, String synchronousStandbyNames, String synchronousCommit,
                        Settings primarySettings, Settings replicaSettings) {
        if (replicas < 0) {
            throw new IllegalArgumentException("a cluster needs 0 or more replicas, got " + replicas);
        }
        this.replicas = replicas;
        this.synchronousStandbyNames = synchronousStandbyNames;
        this.synchronousCommit = synchronousCommit;
        this.primarySettings = primarySettings;
        this.replicaSettings = replicaSettings;
    }

    /** A primary with {@code n} asynchronous streaming replicas. */
    public static ClusterSpec replicas(int n) {
        return new ClusterSpec(n, "", null, Settings.none(), Settings.none());
    }

    /**
     * Makes replication synchronous: {@code "ANY 1"}, {@code "FIRST 2"}, or a full
     * synchronous_standby_names value such as {@code "FIRST 1 (replica1, replica2)"}.
     * Replicas are named replica1, replica2, ... (their application_name). A quorum without a
     * list means any of the cluster's replicas. Empty makes replication asynchronous again.
     */
    public ClusterSpec synchronous(String quorum) {
        String q = quorum == null ? "" : quorum.trim();
        if (!q.isEmpty() && !q.contains("(")) {
            if (!q.matches("(?i)(ANY|FIRST)\\s+\\d+|\\d+")) {
                throw new IllegalArgumentException("synchronous(\"" + quorum + "\"): expected \"ANY k\", \"FIRST k\" or a full"
                        + " synchronous_standby_names value such as \"FIRST 1 (replica1, replica2)\"");
            }
            q = q + " (*)";
        }
        return new ClusterSpec(replicas, q, synchronousCommit, primarySettings, replicaSettings);
    }

    /** synchronous_commit on the primary: off, local, remote_write, on or remote_apply. */
    public ClusterSpec synchronousCommit(String level) {
        String l = level == null ? "" : level.trim().toLowerCase(Locale.ROOT);
        if (!COMMIT_LEVELS.contains(l)) {
            throw new IllegalArgumentException("synchronousCommit(\"" + level + "\"): expected one of " + COMMIT_LEVELS);
        }
        return new ClusterSpec(replicas, synchronousStandbyNames, l, primarySettings, replicaSettings);
    }

    /** Settings for every server of the cluster (primary and replicas). */
    public ClusterSpec settings(Settings s) {
        return new ClusterSpec(replicas, synchronousStandbyNames, synchronousCommit,
                primarySettings.with(s), replicaSettings.with(s));
    }

    /** Settings for the replicas only, e.g. {@code Settings.of("recovery_min_apply_delay", "200ms")}. */
    public ClusterSpec replicaSettings(Settings s) {
        return new ClusterSpec(replicas, synchronousStandbyNames, synchronousCommit, primarySettings, replicaSettings.with(s));
    }

    public int replicaCount() {
        return replicas;
    }

    /** The synchronous_standby_names value to set on the primary; empty for asynchronous replication. */
    public String synchronousStandbyNames() {
        return synchronousStandbyNames;
    }

    /** synchronous_commit for the primary, or null to keep PostgreSQL's default (on). */
    public String synchronousCommitLevel() {
        return synchronousCommit;
    }

    public Settings primarySettings() {
        return primarySettings;
    }

    public Settings replicaSettings() {
        return replicaSettings;
    }

    @Override
    public String toString() {
        return "ClusterSpec[replicas=" + replicas
                + (synchronousStandbyNames.isEmpty() ? ", async" : ", synchronous_standby_names=" + synchronousStandbyNames)
                + (synchronousCommit == null ? "" : ", synchronous_commit=" + synchronousCommit)
                + (primarySettings.isEmpty() ? "" : ", primary " + primarySettings)
                + (replicaSettings.isEmpty() ? "" : ", replicas " + replicaSettings) + "]";
    }
}
