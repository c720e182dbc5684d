package org.datalayerlab.lab.cache;

/**
 * A bounded cache of string values by string key: in this JVM ({@link InProcessCache}) or shared
 * by every application instance ({@link RedisCache}). It evicts by its own policy when full.
 */
public interface KeyValueCache extends AutoCloseable {

    /** For tables and legends, e.g. "Caffeine, 1000 entries". */
    String name();

    /** The cached value, or null on a miss. */
    String get(String key);

    void put(String key, String value);

    /** Drops one key (after a write to the database, so the next read loads the new value). */
    void invalidate(String key);

    /** Entries held now. */
    long entries();

    /** Empties the cache. */
    void clear();

    @Override
    void close();
}
