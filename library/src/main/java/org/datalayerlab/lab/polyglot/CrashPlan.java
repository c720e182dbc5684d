package org.datalayerlab.lab.polyglot;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Where a writer crashes, decided in advance: for each operation number, either no crash or one of
 * the named points (e.g. "before commit", "after commit"), drawn from a seed. Two writers given
 * the same plan crash in the same operations at the same points, so their outcomes can be compared.
 *
 * <pre>{@code
 * CrashPlan plan = CrashPlan.seeded(7, 0.1, "before commit", "after commit");
 * plan.at(op, "after commit");   // throws InjectedCrash if operation op crashes there
 * }</pre>
 */
public final class CrashPlan {

    /** Thrown where the plan says the writer crashes; the writer abandons the operation, as a killed process would. */
    public static final class InjectedCrash extends RuntimeException {
        private final long operation;
        private final String point;

        InjectedCrash(long operation, String point) {
            super("injected crash in operation " + operation + " " + point, null, false, false);
            this.operation = operation;
            this.point = point;
        }

        public long operation() {
            return operation;
        }

        public String point() {
            return point;
        }
    }

    private final long seed;
    private final double rate;
    private final List<String> points;

    private CrashPlan(long seed, double rate, List<String> points) {
        this.seed = seed;
        this.rate = rate;
        this.points = points;
    }

    /** Each operation crashes with probability {@code rate}, at one of {@code points} chosen uniformly. */
    public static CrashPlan seeded(long seed, double rate, String... points) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("crash rate must be between 0 and 1, was " + rate);
        }
        if (points.length == 0) {
            throw new IllegalArgumentException("name at least one crash point, e.g. \"after commit\"");
        }
        return new CrashPlan(seed, rate, List.of(points));
    }

    /** A plan that never crashes. */
    public static CrashPlan none() {
        return new CrashPlan(0, 0, List.of("never"));
    }

    /** The point where operation {@code operation} crashes, or null if it runs to the end. */
    public String pointOf(long operation) {
        // one generator per operation: the answer does not depend on which operations were asked about before
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + operation);
        if (random.nextDouble() >= rate) {
            return null;
        }
        return points.get(random.nextInt(points.size()));
    }

    /** Throws {@link InjectedCrash} if operation {@code operation} crashes at {@code point}. */
    public void at(long operation, String point) {
        Objects.requireNonNull(point, "point");
        if (!points.contains(point) && rate > 0) {
            throw new IllegalArgumentException("unknown crash point \"" + point + "\"; this plan's points are " + points);
        }
        if (point.equals(pointOf(operation))) {
            throw new InjectedCrash(operation, point);
        }
    }

    /** How many of operations 0 .. {@code operations - 1} crash at {@code point}. */
    public long count(long operations, String point) {
        long n = 0;
        for (long op = 0; op < operations; op++) {
            if (point.equals(pointOf(op))) {
                n++;
            }
        }
        return n;
    }

    public List<String> points() {
        return points;
    }

    @Override
    public String toString() {
        return "CrashPlan[rate " + rate + " at " + points + ", seed " + seed + "]";
    }
}
