package org.datalayerlab.lab.chart;

import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.measure.Results;
import org.datalayerlab.lab.measure.TimeSeries;
import org.datalayerlab.lab.measure.Marker;
import org.datalayerlab.lab.workload.Driver;
import org.datalayerlab.lab.workload.Keys;
import org.datalayerlab.lab.workload.RunningLoad;
import org.datalayerlab.lab.workload.Workload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {

    private static final Path OUT = Path.of("target", "charts");
    private static Result fast;
    private static Result slow;

    @BeforeAll
    static void runs() throws IOException {
        Files.createDirectories(OUT);
        fast = Driver.closedLoop(sleepy(1)).threads(2).duration(Duration.ofMillis(500)).label("1 ms").run();
        RunningLoad load = Driver.closedLoop(sleepy(3)).threads(2).duration(Duration.ofMillis(800)).label("3 ms").start();
        sleep(300);
        load.mark("stall");
        sleep(300);
        load.mark("recovered");
        slow = load.await();
    }

    private static Workload sleepy(int ms) {
        return (thread, seed) -> {
            SplittableRandom random = new SplittableRandom(seed);
            return () -> {
                Thread.sleep(ms + random.nextInt(ms + 1));
                return random.nextBoolean() ? "read" : "update";
            };
        };
    }

    @Test
    void rendersHeadless() {
        assertTrue(GraphicsEnvironment.isHeadless(), "tests run without a display, as CI does");
    }

    @Test
    void percentileCharts() throws IOException {
        render("percentiles", Charts.percentiles("Slower operations move every percentile", fast, slow));
        render("p99", Charts.percentile("p99 per run", 99, fast, slow));
        render("throughput", Charts.throughput("Throughput per run", fast, slow));
    }

    @Test
    void timelines() throws IOException {
        render("latency-timeline", Charts.latencyTimeline("Latency over the run, with markers", slow));
        render("throughput-timeline", Charts.throughputTimeline("Throughput over the run", slow, fast));
    }

    @Test
    void timeSeriesLineUpOnACommonStart() throws IOException {
        long now = System.currentTimeMillis();
        TimeSeries a = new TimeSeries("replica 1 lag", now, new double[] {0, 0.05, 0.1, 0.15}, new double[] {0, 4096, 8192, 0}, 0, null);
        TimeSeries b = new TimeSeries("replica 2 lag", now + 50, new double[] {0, 0.05, 0.1}, new double[] {0, 16384, 0}, 0, null);
        TimeSeries empty = new TimeSeries("replica 3 lag", now, new double[0], new double[0], 0, null);
        render("time-series", Charts.timeSeries("Lag rises during the burst and drains", "lag (bytes)",
                List.of(new Marker(0.05, "burst")), a, b, empty));
    }

    @Test
    void loadAndSweepCharts() throws IOException {
        long[] counts = Keys.zipfian(1000).counts(100_000, 1);
        long[] perPartition = new long[8];
        for (int k = 0; k < counts.length; k++) {
            perPartition[k * 8 / counts.length] += counts[k];
        }
        render("load", Charts.load("Partition 0 takes the zipfian head", "partition", "requests", perPartition));
        Map<String, Integer> shards = new LinkedHashMap<>();
        shards.put("shard-a", 340);
        shards.put("shard-b", 310);
        shards.put("shard-c", 350);
        render("load-named", Charts.load("Hash sharding spreads rows evenly", "shard", "rows", shards));

        Map<String, long[]> strategies = new LinkedHashMap<>();
        strategies.put("range", new long[] {700, 100, 100, 100});
        strategies.put("hash", new long[] {260, 240, 250, 250});
        strategies.put("five shards", new long[] {200, 200, 200, 200, 200});
        var grouped = Charts.loads("Range piles rows onto shard 0", "shard", "rows", strategies);
        assertEquals(3, grouped.getSeriesMap().size());
        assertEquals(5, grouped.getSeriesMap().get("range").getYData().size(), "missing shards show as 0");
        render("loads", grouped);
        Map<Integer, Result> runs = new TreeMap<>(Map.of(1, slow, 2, fast));
        var sweep = Charts.sweep("Throughput by threads", "threads", "throughput (ops/s)", runs, Result::throughput);
        Charts.addSweep(sweep, "p99 (ms)", Map.of(1, slow.p99(), 2, fast.p99()));
        render("sweep", sweep);
        render("sweep-plain", Charts.sweep("A knee at 8", "pool size", "ops/s", Map.of(1, 100, 2, 190, 4, 350, 8, 600, 16, 610)));
    }

    @Test
    void chartsNeedATitleAndData() {
        assertThrows(IllegalArgumentException.class, () -> Charts.percentiles(""));
        assertThrows(IllegalArgumentException.class, () -> Charts.percentiles(" ", fast));
        assertThrows(IllegalArgumentException.class, () -> Charts.load("t", "x", "y", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Charts.loads("t", "x", "y", Map.of()));
    }

    @Test
    void tablesHaveTheExpectedColumns() {
        Table runs = Results.table("runs", fast, slow);
        assertEquals(Results.COLUMNS, runs.columnNames());
        assertEquals(2, runs.rowCount());
        assertEquals("1 ms", runs.stringColumn("label").get(0));
        assertEquals(fast.operations(), runs.longColumn("ops").get(0));

        Table kinds = Results.byKind("by kind", slow);
        assertArrayEquals(new String[] {"read", "update"}, kinds.stringColumn("label").asObjectArray());

        Table timeline = Results.timeline("timeline", slow);
        assertEquals(List.of("t (s)", "ops", "errors", "throughput (ops/s)", "p50 (ms)", "p99 (ms)", "max (ms)"), timeline.columnNames());
        assertTrue(timeline.rowCount() >= 6);
        assertTrue(runs.printAll().contains("p99 (ms)"));
    }

    private static void render(String name, Chart<?, ?> chart) throws IOException {
        assertEquals(Charts.WIDTH, chart.getWidth());
        assertEquals(Charts.HEIGHT, chart.getHeight());
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        assertTrue(png.length > 1000, name + " rendered only " + png.length + " bytes");
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        Files.write(OUT.resolve(name + ".png"), png);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
