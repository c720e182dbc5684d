package org.datalayerlab.lab.hotspot;

import org.datalayerlab.lab.workload.KeyChooser;
import org.datalayerlab.lab.workload.Keys;
import org.datalayerlab.lab.workload.Worker;
import org.datalayerlab.lab.workload.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A {@link Workload} on {@link PartitionedCounters}: each operation picks a key ("post:0" is
 * rank 0 of the distribution, the hottest under zipfian), shows it to every observer (a sketch,
 * an exact count), then reads the key's counter or adds 1 to it. Seeded: the same seed gives the
 * same keys and the same reads and writes.
 */
public final class CounterLoad implements Workload {

    private final PartitionedCounters store;
    private final Keys keys;
    private final double readFraction;
    private final List<Consumer<String>> observers = new ArrayList<>();
    private final LongAdder writes = new LongAdder();

    private CounterLoad(PartitionedCounters store, Keys keys, double readFraction) {
        this.store = Objects.requireNonNull(store, "store");
        this.keys = Objects.requireNonNull(keys, "keys: e.g. Keys.zipfian(10_000)");
        if (!(readFraction >= 0 && readFraction <= 1)) {
            throw new IllegalArgumentException("the read fraction must be between 0 and 1, got " + readFraction);
        }
        this.readFraction = readFraction;
    }

    /** Reads ({@code readFraction} of the operations) and increments of keys drawn from {@code keys}. */
    public static CounterLoad over(PartitionedCounters store, Keys keys, double readFraction) {
        return new CounterLoad(store, keys, readFraction);
    }

    /** Also shows every key drawn to {@code observer} (called from the driver's threads: make it thread-safe). */
    public CounterLoad observe(Consumer<String> observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
        return this;
    }

    /** The name of key number {@code rank}: "post:" + rank. */
    public static String keyName(long rank) {
        return "post:" + rank;
    }

    @Override
    public Worker newWorker(int thread, long seed) {
        KeyChooser chooser = keys.chooser(seed);
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        return () -> {
            String key = keyName(chooser.next());
            for (Consumer<String> observer : observers) {
                observer.accept(key);
            }
            if (random.nextDouble() < readFraction) {
                store.read(key);
                return "read";
            }
            store.increment(key, random);
            writes.increment();
            return "write";
        };
    }

    /** Increments that succeeded so far, warm-ups included (what the counters must add up to). */
    public long writes() {
        return writes.sum();
    }

    @Override
    public String name() {
        return keys.name() + ", " + Math.round(readFraction * 100) + "% reads";
    }
}
