package org.datalayerlab.lab.polyglot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.datalayerlab.lab.measure.Result;

/**
 * Asks one question of several stores in interleaved rounds: each round asks every store once (in
 * an order that rotates), so a busy moment of the machine falls on all of them alike and their
 * latencies can be compared on a loaded machine. One thread; latency per answer into an HdrHistogram.
 *
 * <pre>{@code
 * List<Result> r = SideBySide.question("top 10")
 *         .store("PostgreSQL", () -> readAll(pgTop))
 *         .store("Redis", () -> jedis.zrevrangeWithScores("departures", 0, 9))
 *         .run(Duration.ofMillis(300), Duration.ofSeconds(2), 3000);
 * }</pre>
 */
public final class SideBySide {

    /** One store's way to answer the question; it should read the whole answer. */
    @FunctionalInterface
    public interface Answer {
        void run() throws Exception;
    }

    private final String question;
    private final Map<String, Answer> stores = new LinkedHashMap<>();
    private Duration every;
    private int warmupAnswers = 1;

    private SideBySide(String question) {
        this.question = question;
    }

    public static SideBySide question(String question) {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("name the question, e.g. \"top 10 by departures\"");
        }
        return new SideBySide(question);
    }

    /** Adds a store and how it answers; the result's label is "store | question". */
    public SideBySide store(String name, Answer answer) {
        if (stores.putIfAbsent(name, java.util.Objects.requireNonNull(answer, "answer")) != null) {
            throw new IllegalArgumentException("store \"" + name + "\" was added twice");
        }
        return this;
    }

    /**
     * Starts a measured round every {@code interval} (or at once when behind) instead of one right
     * after the other: reads at a steady pace next to a load that should keep the machine's cores.
     */
    public SideBySide every(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("every(...) needs a positive interval, got " + interval);
        }
        this.every = interval;
        return this;
    }

    /**
     * Before the timed warm-up, each store alone answers {@code answers} times (default 1): enough
     * for the JIT to compile the Java code on the path (an in-process store, a client library),
     * which on a busy machine takes longer than any fixed warm-up time.
     */
    public SideBySide warmupAnswers(int answers) {
        if (answers < 1) {
            throw new IllegalArgumentException("warmupAnswers must be at least 1, was " + answers);
        }
        this.warmupAnswers = answers;
        return this;
    }

    /**
     * A warm-up of {@code warmup} (each store alone for an equal share of its first half and at least
     * {@link #warmupAnswers} times, then rounds), then measured rounds until {@code duration} has
     * passed or {@code maxRounds} were run (at least one). An answer that throws stops the run with
     * the store's name in the message.
     */
    public List<Result> run(Duration warmup, Duration duration, int maxRounds) {
        if (stores.isEmpty()) {
            throw new IllegalStateException("add at least one store with store(name, answer) before run()");
        }
        if (maxRounds < 1) {
            throw new IllegalArgumentException("maxRounds must be at least 1, was " + maxRounds);
        }
        List<String> names = new ArrayList<>(stores.keySet());
        List<Histogram> histograms = new ArrayList<>();
        names.forEach(n -> histograms.add(new Histogram(3)));
        // warm-up: each store alone, at least warmupAnswers times and for its share of the time, then rounds
        for (String name : names) {
            long end = System.nanoTime() + warmup.toNanos() / (2L * names.size());
            int answered = 0;
            do {
                answer(name);
                answered++;
            } while (answered < warmupAnswers || System.nanoTime() < end);
        }
        long warmupEnd = System.nanoTime() + warmup.toNanos() / 2;
        int round = 0;
        while (System.nanoTime() < warmupEnd) {
            round(names, null, round++);
        }
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long startMillis = System.currentTimeMillis();
        int measured = 0;
        do {
            if (every != null) {
                pauseUntil(start + measured * every.toNanos());
            }
            round(names, histograms, round++);
            measured++;
        } while (measured < maxRounds && System.nanoTime() < end);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            results.add(new Result(names.get(i) + " | " + question, "interleaved with " + (names.size() - 1) + " other stores",
                    measured, 0, null, seconds, histograms.get(i), null, null, null, startMillis));
        }
        return results;
    }

    private static void pauseUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted between rounds", e);
            }
        }
    }

    private void answer(String name) {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("interrupted while asking " + name + " \"" + question + "\"");
        }
        try {
            stores.get(name).run();
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed to answer \"" + question + "\": " + e, e);
        }
    }

    private void round(List<String> names, List<Histogram> histograms, int round) {
        for (int k = 0; k < names.size(); k++) {
            int i = (k + round) % names.size();   // rotate who goes first
            long t0 = System.nanoTime();
            answer(names.get(i));
            if (histograms != null) {
                histograms.get(i).recordValue(Math.max(1, System.nanoTime() - t0));
            }
        }
    }
}
