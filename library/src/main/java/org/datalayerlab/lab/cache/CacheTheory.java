package org.datalayerlab.lab.cache;

import java.util.Arrays;

/**
 * What theory says a cache of {@code k} entries hits when requests are independent draws from a
 * fixed popularity (the "independent reference model"):
 *
 * <ul>
 *   <li>{@link #topShare}: the share of requests that go to the {@code k} most popular keys. No
 *       cache can do better on such a stream; a frequency-based cache (LFU, Caffeine's
 *       W-TinyLFU) comes close once it has seen enough requests.</li>
 *   <li>{@link #lruHitRate}: an LRU cache by Che's approximation (Che, Tung and Wang, IEEE JSAC
 *       20(7), 2002; Fricker, Robert and Roberts, ITC 2012, on why it is so accurate): find the
 *       "characteristic time" {@code T} in which {@code k} distinct keys are requested,
 *       {@code sum_i (1 - exp(-p_i T)) = k}; key {@code i} is in the cache with probability
 *       {@code 1 - exp(-p_i T)}, so the hit rate is {@code sum_i p_i (1 - exp(-p_i T))}.</li>
 *   <li>{@link #randomHitRate}: a cache that evicts a random entry, by the same kind of
 *       approximation (Fricker, Robert and Roberts 2012): key {@code i} is in the cache with
 *       probability {@code p_i T / (1 + p_i T)}, with {@code T} such that these sum to {@code k}.</li>
 * </ul>
 *
 * Popularities come from {@link #zipf} (key {@code i} has weight {@code 1/(i+1)^theta}) or
 * {@link #uniform}.
 */
public final class CacheTheory {

    private CacheTheory() {
    }

    /** Zipf popularity over {@code n} keys: p_i proportional to 1/(i+1)^theta, hottest first. */
    public static double[] zipf(int n, double theta) {
        if (n < 1) {
            throw new IllegalArgumentException("zipf: the number of keys must be at least 1, got " + n);
        }
        if (!(theta >= 0 && theta <= 10)) {
            throw new IllegalArgumentException("zipf: the constant must be between 0 and 10 (YCSB uses 0.99), got " + theta);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = 1 / Math.pow(i + 1, theta);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Every one of {@code n} keys equally popular. */
    public static double[] uniform(int n) {
        return zipf(n, 0);
    }

    /** Share of requests that go to the {@code k} most popular keys (the best hit rate {@code k} entries can give). */
    public static double topShare(double[] popularity, long k) {
        double[] p = descending(popularity);
        double share = 0;
        for (int i = 0; i < Math.min(k, p.length); i++) {
            share += p[i];
        }
        return Math.min(1, share);
    }

    /** Hit rate of an LRU cache holding {@code k} entries, by Che's approximation. */
    public static double lruHitRate(double[] popularity, double k) {
        check(popularity);
        if (k <= 0) {
            return 0;
        }
        if (k >= popularity.length) {
            return 1;
        }
        double t = characteristicTime(popularity, k);
        double hits = 0;
        for (double p : popularity) {
            hits += p * -Math.expm1(-p * t);
        }
        return hits;
    }

    /** Hit rate of a cache of {@code k} entries that evicts a random entry (random replacement). */
    public static double randomHitRate(double[] popularity, double k) {
        check(popularity);
        if (k <= 0) {
            return 0;
        }
        if (k >= popularity.length) {
            return 1;
        }
        double low = 0;
        double high = 1;
        while (randomOccupancy(popularity, high) < k) {
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > 1e-9 * high; i++) {
            double mid = (low + high) / 2;
            if (randomOccupancy(popularity, mid) < k) {
                low = mid;
            } else {
                high = mid;
            }
        }
        double t = (low + high) / 2;
        double hits = 0;
        for (double p : popularity) {
            hits += p * (p * t / (1 + p * t));
        }
        return hits;
    }

    private static double randomOccupancy(double[] popularity, double t) {
        double sum = 0;
        for (double p : popularity) {
            sum += p * t / (1 + p * t);
        }
        return sum;
    }

    /** Che's characteristic time: the number of requests in which {@code k} distinct keys are asked for. */
    public static double characteristicTime(double[] popularity, double k) {
        check(popularity);
        if (!(k > 0 && k < popularity.length)) {
            throw new IllegalArgumentException("characteristicTime: the cache size must be between 0 and the number of keys ("
                    + popularity.length + "), got " + k);
        }
        double low = 0;
        double high = 1;
        while (distinct(popularity, high) < k) {
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > 1e-9 * high; i++) {
            double mid = (low + high) / 2;
            if (distinct(popularity, mid) < k) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
    }

    /** Expected number of distinct keys among {@code t} requests (Poisson approximation). */
    private static double distinct(double[] popularity, double t) {
        double sum = 0;
        for (double p : popularity) {
            sum += -Math.expm1(-p * t);
        }
        return sum;
    }

    private static double[] descending(double[] popularity) {
        check(popularity);
        boolean sorted = true;
        for (int i = 1; i < popularity.length && sorted; i++) {
            sorted = popularity[i] <= popularity[i - 1];
        }
        if (sorted) {
            return popularity; // zipf() already gives the hottest first
        }
        double[] p = popularity.clone();
        Arrays.sort(p);
        for (int i = 0, j = p.length - 1; i < j; i++, j--) {
            double x = p[i];
            p[i] = p[j];
            p[j] = x;
        }
        return p;
    }

    private static void check(double[] popularity) {
        if (popularity == null || popularity.length == 0) {
            throw new IllegalArgumentException("pass the popularity of at least one key, e.g. CacheTheory.zipf(10_000, 0.99)");
        }
    }
}
