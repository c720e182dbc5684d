package org.datalayerlab.lab.hotspot;

import java.time.Duration;

/**
 * The capacity model of one partition server: at most {@code concurrent} statements run at once
 * (the rest wait their turn, first come first served), and each statement holds its slot for at
 * least {@code serviceTime} (standing in for the disk reads and CPU a real server would spend).
 * One laptop cannot show several real servers running out of capacity, so the model fixes it;
 * the statements themselves run on real servers.
 */
public record Capacity(int concurrent, Duration serviceTime) {

    public Capacity {
        if (concurrent < 1 || concurrent > 64) {
            throw new IllegalArgumentException("a partition serves between 1 and 64 statements at once, got " + concurrent);
        }
        if (serviceTime == null || serviceTime.isNegative()) {
            throw new IllegalArgumentException("the service time must be zero or positive, got " + serviceTime);
        }
    }

    /** {@code concurrent} statements at a time, each holding its slot at least {@code serviceTime}. */
    public static Capacity of(int concurrent, Duration serviceTime) {
        return new Capacity(concurrent, serviceTime);
    }

    /** The most statements per second one partition can serve under this model. */
    public double statementsPerSecond() {
        long nanos = serviceTime.toNanos();
        return nanos == 0 ? Double.POSITIVE_INFINITY : concurrent * 1e9 / nanos;
    }

    /** For chart titles: "model: 2 statements at a time per server, 5 ms each". */
    public String describe() {
        return "model: " + concurrent + (concurrent == 1 ? " statement" : " statements") + " at a time per server, "
                + serviceTime.toMillis() + " ms each";
    }

    @Override
    public String toString() {
        return describe();
    }
}
