package org.datalayerlab.lab.hotspot;

import org.apache.datasketches.common.ArrayOfStringsSerDe;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Online hot-key detection in fixed memory: Apache DataSketches' frequent-items sketch (a
 * Misra-Gries style summary) over a stream of keys. It keeps at most {@code maxMapSize}
 * counters however many distinct keys pass; every estimate is within {@link #maximumError()} of
 * the true count, and a key seen more often than that error is never missed. Thread-safe.
 *
 * <pre>{@code
 * HotKeys sketch = HotKeys.withMapSize(64);
 * keys.forEach(sketch::offer);
 * sketch.top(10);           // the ten keys with the largest estimates
 * }</pre>
 */
public final class HotKeys {

    /** One key's estimated count and the bounds the sketch guarantees for its true count. */
    public record HotKey(String key, long estimate, long lowerBound, long upperBound) {
    }

    private final ItemsSketch<String> sketch;
    private final int maxMapSize;

    private HotKeys(int maxMapSize) {
        this.maxMapSize = maxMapSize;
        this.sketch = new ItemsSketch<>(maxMapSize);
    }

    /** A sketch keeping at most {@code maxMapSize} counters (a power of 2, at least 8). */
    public static HotKeys withMapSize(int maxMapSize) {
        if (maxMapSize < 8 || Integer.bitCount(maxMapSize) != 1) {
            throw new IllegalArgumentException("the sketch's map size must be a power of 2 of at least 8 (e.g. 64), got " + maxMapSize);
        }
        return new HotKeys(maxMapSize);
    }

    /** Counts one occurrence of {@code key}. */
    public synchronized void offer(String key) {
        if (key == null) {
            throw new IllegalArgumentException("a key must not be null");
        }
        sketch.update(key);
    }

    /** The {@code k} keys with the largest estimates, largest first (fewer if the sketch holds fewer). */
    public synchronized List<HotKey> top(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("ask for at least the top 1 key, got " + k);
        }
        return Arrays.stream(sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES))
                .map(r -> new HotKey(r.getItem(), r.getEstimate(), r.getLowerBound(), r.getUpperBound()))
                .sorted(Comparator.comparingLong(HotKey::estimate).reversed().thenComparing(HotKey::key))
                .limit(k)
                .toList();
    }

    /** The keys of {@link #top(int)}. */
    public List<String> topKeys(int k) {
        return top(k).stream().map(HotKey::key).toList();
    }

    /** The estimated count of {@code key} (0 if the sketch holds no counter for it). */
    public synchronized long estimate(String key) {
        return sketch.getEstimate(key);
    }

    /** The most any estimate can be off from the true count, for the stream so far. */
    public synchronized long maximumError() {
        return sketch.getMaximumError();
    }

    /** Keys counted so far. */
    public synchronized long streamLength() {
        return sketch.getStreamLength();
    }

    /** The most counters this sketch keeps. */
    public int maxMapSize() {
        return maxMapSize;
    }

    /** The size of the sketch serialized (what one node would ship to merge sketches), in bytes. */
    public synchronized int serializedBytes() {
        return sketch.toByteArray(new ArrayOfStringsSerDe()).length;
    }

    @Override
    public synchronized String toString() {
        return "frequent-items sketch (" + maxMapSize + " counters max) over " + sketch.getStreamLength()
                + " keys, maximum error " + sketch.getMaximumError();
    }
}
