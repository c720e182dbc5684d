package org.datalayerlab.lab.hotspot;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The exact count of every key seen: one counter per distinct key (the truth a sketch is compared with). Thread-safe. */
public final class ExactCounts {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    /** Counts one occurrence of {@code key}. */
    public void offer(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** How often {@code key} was seen. */
    public long count(String key) {
        LongAdder c = counts.get(key);
        return c == null ? 0 : c.sum();
    }

    /** The {@code k} most frequent keys, most frequent first (ties by key). */
    public List<String> topKeys(int k) {
        return counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, LongAdder>>comparingLong(e -> e.getValue().sum()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(k)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Distinct keys seen: the counters this exact method keeps. */
    public int distinctKeys() {
        return counts.size();
    }

    /** Keys seen in all. */
    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** How many of {@code found} are in {@code truth} (e.g. the sketch's top 10 against the exact top 10). */
    public static long overlap(List<String> found, List<String> truth) {
        return found.stream().distinct().filter(truth::contains).count();
    }
}
