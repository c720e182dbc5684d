package org.datalayerlab.lab.workload;

import site.ycsb.Utils;
import site.ycsb.generator.ScrambledZipfianGenerator;

import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A key distribution over keys {@code 0 .. keyCount-1}, as YCSB defines them: uniform,
 * zipfian (key 0 hottest), scrambled zipfian (hot keys spread over the key space, YCSB's
 * "zipfian" request distribution), hotspot and latest. Immutable; {@link #chooser(long)} gives
 * a seeded {@link KeyChooser}.
 *
 * <p>All choosers run on a seeded random: YCSB's own generators (site.ycsb.generator) draw
 * from ThreadLocalRandom and cannot be seeded, so their algorithms are re-implemented here.
 * Scrambled zipfian is YCSB's exactly (Gray et al.'s approximate zipfian over 10^10 items,
 * YCSB's FNV hash and zeta constant): it picks the same hot keys as YCSB. {@link #zipfian} is
 * an exact Zipf sampler (rejection-inversion, Hormann and Derflinger 1996), because Gray's
 * approximation over-weights keys 2 to 10 by up to about 17% at 0.99, and lessons compare
 * measured hit rates with the theory ({@link #topShare}).
 */
public final class Keys {

    /** YCSB's default zipfian constant. */
    public static final double ZIPFIAN_CONSTANT = 0.99;

    /** YCSB's scrambled zipfian draws from a zipfian over this many items, then hashes into the key space. */
    private static final long SCRAMBLED_ITEMS = ScrambledZipfianGenerator.ITEM_COUNT;

    private enum Kind { UNIFORM, ZIPFIAN, SCRAMBLED_ZIPFIAN, HOTSPOT, LATEST }

    private final Kind kind;
    private final long keyCount;
    private final double theta;
    private final double hotSetFraction;
    private final double hotOpFraction;

    private Keys(Kind kind, long keyCount, double theta, double hotSetFraction, double hotOpFraction) {
        if (keyCount < 1) {
            throw new IllegalArgumentException("keyCount must be at least 1, got " + keyCount);
        }
        this.kind = kind;
        this.keyCount = keyCount;
        this.theta = theta;
        this.hotSetFraction = hotSetFraction;
        this.hotOpFraction = hotOpFraction;
    }

    /** Every key equally likely. */
    public static Keys uniform(long keyCount) {
        return new Keys(Kind.UNIFORM, keyCount, 0, 0, 0);
    }

    /** Zipfian with constant 0.99: key 0 is the hottest, key i has weight 1/(i+1)^0.99. */
    public static Keys zipfian(long keyCount) {
        return zipfian(keyCount, ZIPFIAN_CONSTANT);
    }

    /** Zipfian with the given constant (theta &gt; 0; larger is more skewed; 0.99 is YCSB's). */
    public static Keys zipfian(long keyCount, double theta) {
        if (!(theta > 0 && theta <= 10)) {
            throw new IllegalArgumentException("zipfian constant must be above 0 (and at most 10), got " + theta
                    + "; YCSB's default is 0.99");
        }
        return new Keys(Kind.ZIPFIAN, keyCount, theta, 0, 0);
    }

    /**
     * YCSB's "zipfian" request distribution: zipfian (0.99) popularity, but the hot keys are
     * scattered over the key space by a hash instead of being the lowest keys.
     */
    public static Keys scrambledZipfian(long keyCount) {
        return new Keys(Kind.SCRAMBLED_ZIPFIAN, keyCount, ScrambledZipfianGenerator.USED_ZIPFIAN_CONSTANT, 0, 0);
    }

    /**
     * A hot set of the first {@code hotSetFraction} of the keys receives {@code hotOpFraction}
     * of the requests, uniformly; the rest go uniformly to the other keys.
     */
    public static Keys hotspot(long keyCount, double hotSetFraction, double hotOpFraction) {
        if (!(hotSetFraction >= 0 && hotSetFraction <= 1) || !(hotOpFraction >= 0 && hotOpFraction <= 1)) {
            throw new IllegalArgumentException("hotspot fractions must be between 0 and 1, got hotSetFraction="
                    + hotSetFraction + ", hotOpFraction=" + hotOpFraction);
        }
        return new Keys(Kind.HOTSPOT, keyCount, 0, hotSetFraction, hotOpFraction);
    }

    /**
     * The most recently inserted keys are the hottest (zipfian 0.99 by recency). In a YCSB
     * workload "latest" follows the keys inserted so far; elsewhere key {@code keyCount-1} is the newest.
     */
    public static Keys latest(long keyCount) {
        return new Keys(Kind.LATEST, keyCount, ZIPFIAN_CONSTANT, 0, 0);
    }

    public long keyCount() {
        return keyCount;
    }

    /** For example "zipfian(1000, 0.99)". */
    public String name() {
        return switch (kind) {
            case UNIFORM -> "uniform(" + keyCount + ")";
            case ZIPFIAN -> "zipfian(" + keyCount + ", " + theta + ")";
            case SCRAMBLED_ZIPFIAN -> "scrambledZipfian(" + keyCount + ")";
            case HOTSPOT -> "hotspot(" + keyCount + ", " + hotSetFraction + ", " + hotOpFraction + ")";
            case LATEST -> "latest(" + keyCount + ")";
        };
    }

    @Override
    public String toString() {
        return name();
    }

    /** A chooser seeded with {@code seed}: the same seed gives the same keys. */
    public KeyChooser chooser(long seed) {
        return chooser(seed, () -> keyCount);
    }

    /** A chooser whose key count may grow (for "latest" while a workload inserts). */
    KeyChooser chooser(long seed, LongSupplier currentKeyCount) {
        SplittableRandom random = new SplittableRandom(seed);
        return switch (kind) {
            case UNIFORM -> () -> random.nextLong(keyCount);
            case ZIPFIAN -> new Zipf(keyCount, theta, random)::next;
            case SCRAMBLED_ZIPFIAN -> {
                GrayZipfian z = new GrayZipfian(SCRAMBLED_ITEMS, theta, ScrambledZipfianGenerator.ZETAN, random);
                yield () -> Math.floorMod(Utils.fnvhash64(z.next()), keyCount);
            }
            case HOTSPOT -> hotspot(random);
            case LATEST -> latest(random, currentKeyCount);
        };
    }

    /** Counts how often each key is chosen in {@code samples} draws (keyCount up to 50 million). */
    public long[] counts(int samples, long seed) {
        if (keyCount > 50_000_000) {
            throw new IllegalArgumentException("counts() keeps one counter per key; " + keyCount + " keys is too many");
        }
        long[] counts = new long[(int) keyCount];
        KeyChooser chooser = chooser(seed);
        for (int i = 0; i < samples; i++) {
            counts[(int) chooser.next()]++;
        }
        return counts;
    }

    /**
     * The expected share of requests that go to the {@code k} hottest keys: for example the
     * hit rate of a cache holding those keys. For uniform, zipfian and hotspot.
     */
    public double topShare(long k) {
        long top = Math.max(0, Math.min(k, keyCount));
        return switch (kind) {
            case UNIFORM -> (double) top / keyCount;
            case ZIPFIAN, LATEST -> zeta(top, theta) / zeta(keyCount, theta);
            case HOTSPOT -> {
                long hot = hotSetSize();
                long cold = keyCount - hot;
                if (top <= hot) {
                    yield hot == 0 ? 0 : hotOpFraction * top / hot;
                }
                yield hotOpFraction + (cold == 0 ? 0 : (1 - hotOpFraction) * (top - hot) / cold);
            }
            case SCRAMBLED_ZIPFIAN -> throw new UnsupportedOperationException(
                    "topShare is not known in closed form for scrambled zipfian (hash collisions merge keys); measure it with counts()");
        };
    }

    private long hotSetSize() {
        return (long) (keyCount * hotSetFraction);
    }

    private KeyChooser hotspot(SplittableRandom random) {
        long hot = hotSetSize();
        long cold = keyCount - hot;
        return () -> {
            if (hot > 0 && (cold == 0 || random.nextDouble() < hotOpFraction)) {
                return random.nextLong(hot);
            }
            return hot + random.nextLong(cold);
        };
    }

    private KeyChooser latest(SplittableRandom random, LongSupplier currentKeyCount) {
        Zipf z = new Zipf(keyCount, theta, random);
        return () -> {
            long count = Math.max(1, currentKeyCount.getAsLong());
            z.setItems(count);
            return count - 1 - z.next(); // 0 from the zipfian is the newest key
        };
    }

    /** Sum of 1/i^theta for i = 1..n. */
    static double zeta(long n, double theta) {
        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }

    /**
     * Exact Zipf over items 0..n-1 (item i has weight 1/(i+1)^s) by rejection-inversion
     * (W. Hormann, G. Derflinger, "Rejection-inversion to generate variates from monotone
     * discrete distributions", ACM TOMACS 6(3), 1996): O(1) per draw, O(1) set-up, so the item
     * count can change cheaply ("latest").
     */
    static final class Zipf {
        private final double s;
        private final SplittableRandom random;
        private final double areaBelowFirst;   // H(1.5) - h(1)
        private final double squeeze;          // 2 - H^-1(H(2.5) - h(2))
        private long items;
        private double areaToEnd;              // H(items + 0.5)

        Zipf(long items, double s, SplittableRandom random) {
            this.s = s;
            this.random = random;
            this.areaBelowFirst = bigH(1.5) - 1.0;
            this.squeeze = 2 - bigHInverse(bigH(2.5) - h(2));
            setItems(items);
        }

        void setItems(long n) {
            if (n != items) {
                items = n;
                areaToEnd = bigH(n + 0.5);
            }
        }

        long next() {
            while (true) {
                double u = areaToEnd + random.nextDouble() * (areaBelowFirst - areaToEnd);
                double x = bigHInverse(u);
                long k = (long) (x + 0.5);
                if (k < 1) {
                    k = 1;
                } else if (k > items) {
                    k = items;
                }
                // accept at once inside the squeeze, otherwise when u falls under the bar of k
                if (k - x <= squeeze || u >= bigH(k + 0.5) - h(k)) {
                    return k - 1;
                }
            }
        }

        private double h(double x) {
            return Math.exp(-s * Math.log(x));
        }

        /** Integral of h: (x^(1-s) - 1) / (1 - s), written to stay accurate near s = 1. */
        private double bigH(double x) {
            double logX = Math.log(x);
            return expm1OverX((1 - s) * logX) * logX;
        }

        private double bigHInverse(double y) {
            double t = y * (1 - s);
            if (t < -1) {
                t = -1; // rounding can push t just past the pole
            }
            return Math.exp(log1pOverX(t) * y);
        }

        private static double expm1OverX(double x) {
            return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
        }

        private static double log1pOverX(double x) {
            return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
        }
    }

    /** Gray et al.'s approximate zipfian, as in YCSB's ZipfianGenerator, on a seeded random. */
    static final class GrayZipfian {
        private final double theta;
        private final double alpha;
        private final SplittableRandom random;
        private final long items;
        private final double zetaN;
        private final double eta;

        GrayZipfian(long items, double theta, double zetaN, SplittableRandom random) {
            this.theta = theta;
            this.alpha = 1.0 / (1.0 - theta);
            this.random = random;
            this.items = items;
            this.zetaN = zetaN;
            this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta(2, theta) / zetaN);
        }

        long next() {
            double u = random.nextDouble();
            double uz = u * zetaN;
            if (uz < 1.0) {
                return 0;
            }
            if (uz < 1.0 + Math.pow(0.5, theta)) {
                return Math.min(1, items - 1);
            }
            long value = (long) (items * Math.pow(eta * u - eta + 1, alpha));
            return Math.min(value, items - 1);
        }
    }
}
