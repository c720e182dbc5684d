package org.datalayerlab.lab.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain LRU cache of at most {@code maxEntries} values in this JVM (a LinkedHashMap in access
 * order that drops its eldest entry): the textbook policy, as a control for the theory of
 * {@link CacheTheory#lruHitRate} and for caches that only approximate LRU. Synchronized.
 */
public final class LruCache implements KeyValueCache {

    private final int maxEntries;
    private final LinkedHashMap<String, String> map;

    private LruCache(int maxEntries) {
        this.maxEntries = maxEntries;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > LruCache.this.maxEntries;
            }
        };
    }

    public static LruCache of(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("an LRU cache needs room for at least 1 entry, got " + maxEntries);
        }
        return new LruCache(maxEntries);
    }

    @Override
    public String name() {
        return "LRU, " + maxEntries + " entries";
    }

    @Override
    public synchronized String get(String key) {
        return map.get(key);
    }

    @Override
    public synchronized void put(String key, String value) {
        map.put(key, value);
    }

    @Override
    public synchronized void invalidate(String key) {
        map.remove(key);
    }

    @Override
    public synchronized long entries() {
        return map.size();
    }

    @Override
    public synchronized void clear() {
        map.clear();
    }

    @Override
    public void close() {
        clear();
    }
}
