package org.datalayerlab.lab.failover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.datalayerlab.lab.Postgres;

/**
 * Every write clients attempted, in order of start: what a Jepsen test calls the history. Compare
 * it with what a server holds afterwards: an acknowledged write that the server does not have was
 * lost.
 */
public final class WriteLog {

    /** What the client saw. */
    public enum Outcome {
        /** The commit returned without a warning: the client may tell its user "saved". */
        ACKNOWLEDGED,
        /** The commit returned, with the warning that the wait for synchronous replication was cancelled: not acknowledged. */
        WARNED,
        /** An error: the write may or may not have committed, the client cannot know. */
        FAILED
    }

    /**
     * One attempt. {@code start} and {@code end} are System.nanoTime(); {@code serverPort} is the port of the server that
     * answered ({@code inet_server_port()}, -1 on error); {@code error} the error or warning text.
     */
    public record Write(long id, String writer, long epoch, long start, long end, Outcome outcome, int serverPort, String error) {
        public boolean acknowledged() {
            return outcome == Outcome.ACKNOWLEDGED;
        }
    }

    private final String label;
    private final List<Write> writes;

    WriteLog(String label, List<Write> writes) {
        this.label = label;
        this.writes = new ArrayList<>(writes);
        this.writes.sort(Comparator.comparingLong(Write::start));
    }

    /** Several clients' logs as one. */
    public static WriteLog merge(WriteLog... logs) {
        List<Write> all = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        for (WriteLog l : logs) {
            all.addAll(l.writes);
            names.append(names.length() == 0 ? "" : "+").append(l.label);
        }
        return new WriteLog(names.toString(), all);
    }

    public String label() {
        return label;
    }

    public List<Write> writes() {
        return List.copyOf(writes);
    }

    public long count(Predicate<Write> which) {
        return writes.stream().filter(which).count();
    }

    public long acknowledged() {
        return count(Write::acknowledged);
    }

    public long warned() {
        return count(w -> w.outcome() == Outcome.WARNED);
    }

    public long failed() {
        return count(w -> w.outcome() == Outcome.FAILED);
    }

    /** Acknowledged writes {@code server} answered (by its port). */
    public long acknowledgedBy(Postgres server) {
        return count(w -> w.acknowledged() && w.serverPort() == server.port());
    }

    /** Acknowledged writes {@code server} answered that ended after {@code nanoTime}. */
    public long acknowledgedBy(Postgres server, long afterNanoTime) {
        return count(w -> w.acknowledged() && w.serverPort() == server.port() && w.end() > afterNanoTime);
    }

    /** The end of the first acknowledged write {@code server} answered, or -1. */
    public long firstAcknowledgementBy(Postgres server) {
        return writes.stream().filter(w -> w.acknowledged() && w.serverPort() == server.port())
                .mapToLong(Write::end).min().orElse(-1);
    }

    /** The end of the first acknowledged write that started after {@code nanoTime}, or -1 if none did. */
    public long firstAcknowledgementAfter(long nanoTime) {
        return writes.stream().filter(w -> w.acknowledged() && w.start() >= nanoTime)
                .mapToLong(Write::end).min().orElse(-1);
    }

    /**
     * Milliseconds from {@code failureNanoTime} until {@code next} (the new primary) acknowledged a write (NaN if it never
     * did): the outage as the clients saw it. Counting only the new primary's acknowledgements leaves out a write the old
     * one finished in the instant before it died.
     */
    public double unavailableMillis(long failureNanoTime, Postgres next) {
        long first = writes.stream().filter(w -> w.acknowledged() && w.serverPort() == next.port() && w.end() > failureNanoTime)
                .mapToLong(Write::end).min().orElse(-1);
        return first < 0 ? Double.NaN : (first - failureNanoTime) / 1e6;
    }

    /** Ids of the writes whose outcome matches. */
    public Set<Long> ids(Predicate<Write> which) {
        Set<Long> ids = new HashSet<>();
        writes.stream().filter(which).forEach(w -> ids.add(w.id()));
        return ids;
    }

    /** Acknowledged writes whose row {@code server} does not hold in {@code table}: lost. */
    public long lostOn(Postgres server, String table) {
        Set<Long> held = new HashSet<>();
        server.queryStrings("select id from " + table).forEach(s -> held.add(Long.parseLong(s)));
        return count(w -> w.acknowledged() && !held.contains(w.id()));
    }

    /** Writes that returned with the synchronous-replication warning and whose row {@code server} does not hold. */
    public long warnedMissingOn(Postgres server, String table) {
        Set<Long> held = new HashSet<>();
        server.queryStrings("select id from " + table).forEach(s -> held.add(Long.parseLong(s)));
        return count(w -> w.outcome() == Outcome.WARNED && !held.contains(w.id()));
    }

    /** The first error or warning text, or null. */
    public String firstError() {
        return writes.stream().map(Write::error).filter(e -> e != null).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return String.format("%s: %d writes, %d acknowledged, %d warned, %d failed", label, writes.size(), acknowledged(),
                warned(), failed());
    }
}
