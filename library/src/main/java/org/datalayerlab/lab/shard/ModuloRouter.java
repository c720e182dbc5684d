package org.datalayerlab.lab.shard;

/**
 * Hash mod N: {@code shard = hash(key) mod N}. Spreads keys evenly and needs no state, but
 * changing N re-deals almost every key: going from N to N+1 shards keeps a key in place only
 * when both remainders agree, about 1 time in N+1.
 */
public final class ModuloRouter implements ShardRouter {

    private final int shards;

    public ModuloRouter(int shards) {
        ShardRouter.checkShards(shards);
        this.shards = shards;
    }

    @Override
    public int shardFor(String key) {
        return (int) Long.remainderUnsigned(KeyHash.of(key), shards);
    }

    @Override
    public int shards() {
        return shards;
    }

    @Override
    public String describe() {
        return "hash mod " + shards;
    }

    @Override
    public String toString() {
        return describe();
    }
}
