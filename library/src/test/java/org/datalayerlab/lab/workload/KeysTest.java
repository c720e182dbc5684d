package org.datalayerlab.lab.workload;

import org.junit.jupiter.api.Test;
import site.ycsb.generator.ScrambledZipfianGenerator;
import site.ycsb.generator.ZipfianGenerator;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeysTest {

    private static final int SAMPLES = 1_000_000;

    @Test
    void sameSeedSameKeysOtherSeedOtherKeys() {
        for (Keys keys : new Keys[] {Keys.uniform(1000), Keys.zipfian(1000), Keys.scrambledZipfian(1000),
                Keys.hotspot(1000, 0.2, 0.8), Keys.latest(1000)}) {
            assertArrayEquals(draw(keys.chooser(1), 200), draw(keys.chooser(1), 200), keys.name());
            assertFalse(Arrays.equals(draw(keys.chooser(1), 200), draw(keys.chooser(2), 200)), keys.name());
        }
    }

    @Test
    void uniformPassesChiSquare() {
        int n = 100;
        long[] counts = Keys.uniform(n).counts(SAMPLES, 11);
        double expected = (double) SAMPLES / n;
        double chiSquare = Arrays.stream(counts).mapToDouble(c -> (c - expected) * (c - expected) / expected).sum();
        // critical value of chi-square with 99 degrees of freedom at p = 0.001
        assertTrue(chiSquare < 148.2, "chi-square " + chiSquare);
    }

    @Test
    void zipfianTopKeysFollowTheory() {
        int n = 1000;
        double theta = 0.99;
        long[] counts = Keys.zipfian(n, theta).counts(SAMPLES, 5);
        double zetaN = Keys.zeta(n, theta);
        for (int i = 0; i < 10; i++) {
            double theory = 1 / Math.pow(i + 1, theta) / zetaN;
            double measured = (double) counts[i] / SAMPLES;
            assertEquals(theory, measured, theory * 0.05, "share of key " + i);
        }
        Keys keys = Keys.zipfian(n, theta);
        double top100 = IntStream.range(0, 100).mapToLong(i -> counts[i]).sum() / (double) SAMPLES;
        assertEquals(keys.topShare(100), top100, 0.01);
    }

    @Test
    void zipfianConstantIsSettable() {
        int n = 1000;
        for (double theta : new double[] {0.5, 0.8, 1.0, 1.2}) {
            long[] counts = Keys.zipfian(n, theta).counts(SAMPLES, 9);
            double zetaN = Keys.zeta(n, theta);
            for (int i = 0; i < 10; i++) {
                double theory = 1 / Math.pow(i + 1, theta) / zetaN;
                double measured = (double) counts[i] / SAMPLES;
                assertEquals(theory, measured, Math.max(theory * 0.05, 0.0005), "theta " + theta + " key " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Keys.zipfian(10, 0));
    }

    @Test
    void zipfianAgreesWithYcsbWhereYcsbIsExact() {
        // YCSB's generator (Gray et al.) is exact for the two hottest keys only.
        int n = 1000;
        long[] ours = Keys.zipfian(n).counts(SAMPLES, 9);
        ZipfianGenerator ycsb = new ZipfianGenerator(0, n - 1, Keys.ZIPFIAN_CONSTANT);
        long[] theirs = new long[n];
        for (int i = 0; i < SAMPLES; i++) {
            theirs[ycsb.nextValue().intValue()]++;
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(theirs[i], ours[i], theirs[i] * 0.03, "key " + i);
        }
    }

    @Test
    void scrambledZipfianPicksTheSameHotKeysAsYcsb() {
        int n = 10_000;
        long[] ours = Keys.scrambledZipfian(n).counts(SAMPLES, 3);
        ScrambledZipfianGenerator ycsb = new ScrambledZipfianGenerator(n);
        long[] theirs = new long[n];
        for (int i = 0; i < SAMPLES; i++) {
            theirs[ycsb.nextValue().intValue()]++;
        }
        int[] ourTop = hottest(ours, 3);
        assertArrayEquals(hottest(theirs, 3), ourTop);
        assertTrue(ourTop[0] != 0, "hot keys are scattered, not the lowest");
        for (int k : ourTop) {
            assertEquals(theirs[k], ours[k], theirs[k] * 0.05);
        }
    }

    @Test
    void hotspotSendsItsShareToTheHotSet() {
        Keys keys = Keys.hotspot(1000, 0.1, 0.9);
        long[] counts = keys.counts(SAMPLES, 4);
        double hotShare = IntStream.range(0, 100).mapToLong(i -> counts[i]).sum() / (double) SAMPLES;
        assertEquals(0.9, hotShare, 0.005);
        assertEquals(0.9, keys.topShare(100), 1e-9);
    }

    @Test
    void latestFavoursTheNewestKeysAsTheyGrow() {
        AtomicLong inserted = new AtomicLong(1000);
        KeyChooser chooser = Keys.latest(1000).chooser(8, inserted::get);
        long[] counts = new long[2000];
        for (int i = 0; i < 100_000; i++) {
            counts[(int) chooser.next()]++;
        }
        assertEquals(999, hottest(counts, 1)[0]);
        inserted.set(2000);
        long[] later = new long[2000];
        for (int i = 0; i < 100_000; i++) {
            later[(int) chooser.next()]++;
        }
        assertEquals(1999, hottest(later, 1)[0]);
    }

    @Test
    void badArgumentsAreExplained() {
        assertThrows(IllegalArgumentException.class, () -> Keys.uniform(0));
        assertThrows(IllegalArgumentException.class, () -> Keys.hotspot(10, 1.5, 0.5));
    }

    private static long[] draw(KeyChooser chooser, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = chooser.next();
        }
        return keys;
    }

    private static int[] hottest(long[] counts, int k) {
        return IntStream.range(0, counts.length).boxed()
                .sorted((a, b) -> Long.compare(counts[b], counts[a]))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }
}
