package org.datalayerlab.lab.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A Caffeine cache in this JVM holding at most {@code maxEntries} values. Caffeine evicts by
 * W-TinyLFU (a small LRU window in front of a frequency-filtered main area), not plain LRU, so
 * on a skewed, steady stream it keeps close to the most popular keys. Maintenance runs on the
 * calling thread, so the size bound holds the moment a put returns.
 */
public final class InProcessCache implements KeyValueCache {

    private final Cache<String, String> cache;
    private final long maxEntries;

    private InProcessCache(long maxEntries) {
        this.maxEntries = maxEntries;
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run).build();
    }

    /** A cache of at most {@code maxEntries} entries. */
    public static InProcessCache of(long maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("an in-process cache needs room for at least 1 entry, got " + maxEntries);
        }
        return new InProcessCache(maxEntries);
    }

    @Override
    public String name() {
        return "Caffeine, " + maxEntries + " entries";
    }

    @Override
    public String get(String key) {
        return cache.getIfPresent(key);
    }

    @Override
    public void put(String key, String value) {
        cache.put(key, value);
    }

    @Override
    public void invalidate(String key) {
        cache.invalidate(key);
    }

    @Override
    public long entries() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public void clear() {
        cache.invalidateAll();
        cache.cleanUp();
    }

    @Override
    public void close() {
        clear();
    }
}
