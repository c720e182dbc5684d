package org.datalayerlab.lab.shard;

import java.nio.charset.StandardCharsets;

/**
 * A fast, well-mixed 64-bit hash of a string key: FNV-1a over the UTF-8 bytes, then
 * MurmurHash3's 64-bit finalizer so that similar short keys ("ORD", "ORF") end up far apart
 * in every bit. Stable across JVMs and runs (unlike {@link String#hashCode()} it is not
 * part of any contract that could change, and it spreads short keys well).
 */
public final class KeyHash {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private KeyHash() {
    }

    /** The 64-bit hash of {@code key} (any value of a long, negative ones included). */
    public static long of(String key) {
        ShardRouter.checkKey(key);
        long h = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return mix(h);
    }

    /** MurmurHash3's fmix64: every input bit affects every output bit. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
