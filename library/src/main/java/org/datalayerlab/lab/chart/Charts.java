package org.datalayerlab.lab.chart;

import org.datalayerlab.lab.measure.Interval;
import org.datalayerlab.lab.measure.Marker;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.measure.TimeSeries;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * XChart charts for the notebooks, labelled with units, in one clean style, 800 x 450 by
 * default. The caller's title says what to notice ("sync commits pay the 20 ms round trip").
 * Each method returns the XChart object: the kernel shows it inline as PNG, and it can still
 * be adjusted ({@code chart.getStyler().setYAxisLogarithmic(true)}, {@code chart.addSeries(...)}).
 */
public final class Charts {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 450;

    /** The percentiles {@link #percentiles} shows, and their labels. */
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};
    private static final List<String> PERCENTILE_LABELS = List.of("p50", "p90", "p99", "p99.9", "max");

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() {
    }

    /** Latency percentiles (p50, p90, p99, p99.9, max) side by side for each run, in ms. */
    public static CategoryChart percentiles(String title, Result... runs) {
        requireRuns(runs);
        CategoryChart chart = categoryChart(title, "percentile", "latency (ms)");
        for (Result r : runs) {
            List<Double> values = new ArrayList<>();
            for (double p : PERCENTILES) {
                values.add(zeroIfNaN(p == 100 ? r.max() : r.percentile(p)));
            }
            chart.addSeries(r.label(), PERCENTILE_LABELS, values);
        }
        return chart;
    }

    /** One latency percentile (e.g. 99) per run, as bars, in ms. */
    public static CategoryChart percentile(String title, double percentile, Result... runs) {
        requireRuns(runs);
        String name = "p" + (percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile));
        CategoryChart chart = categoryChart(title, "run", name + " latency (ms)");
        chart.getStyler().setLegendVisible(false);
        chart.addSeries(name, labels(runs), Arrays.stream(runs).map(r -> zeroIfNaN(r.percentile(percentile))).toList());
        return chart;
    }

    /** Throughput per run, as bars, in operations per second. */
    public static CategoryChart throughput(String title, Result... runs) {
        requireRuns(runs);
        CategoryChart chart = categoryChart(title, "run", "throughput (ops/s)");
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("throughput", labels(runs), Arrays.stream(runs).map(r -> r.throughput()).toList());
        return chart;
    }

    /**
     * Grouped bars: one group per category, one colour per series, e.g. read and write p50 per
     * fix: {@code bars(t, "fix", "latency (ms)", Map.of("read p50", Map.of("none", 0.3, ...), ...))}.
     * Categories show in the order of the first series (use LinkedHashMaps to fix the order);
     * a category a series lacks shows as 0.
     */
    public static CategoryChart bars(String title, String xLabel, String yLabel,
                                     Map<String, ? extends Map<String, ? extends Number>> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException("pass at least one series of bars");
        }
        java.util.LinkedHashSet<String> categories = new java.util.LinkedHashSet<>();
        series.values().forEach(s -> categories.addAll(s.keySet()));
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("pass at least one category (bar) in a series");
        }
        CategoryChart chart = categoryChart(title, xLabel, yLabel);
        chart.getStyler().setLegendVisible(series.size() > 1);
        List<String> xs = new ArrayList<>(categories);
        series.forEach((name, values) -> {
            List<Number> ys = new ArrayList<>();
            for (String x : xs) {
                Number v = values.get(x);
                ys.add(v == null || Double.isNaN(v.doubleValue()) ? 0 : v);
            }
            chart.addSeries(name, xs, ys);
        });
        return chart;
    }

    /**
     * Latency over the course of a run (p50, p99 and max per timeline slice, warm-up
     * included), with the run's markers as dashed vertical lines.
     */
    public static XYChart latencyTimeline(String title, Result run) {
        Objects.requireNonNull(run, "run");
        XYChart chart = xyChart(title, "time since start (s)", "latency (ms)");
        List<Interval> slices = nonEmpty(run.timeline());
        double[] t = slices.stream().mapToDouble(i -> i.startSeconds() + i.seconds()).toArray();
        addLine(chart, "p50", t, slices.stream().mapToDouble(Interval::p50).toArray());
        addLine(chart, "p99", t, slices.stream().mapToDouble(Interval::p99).toArray());
        addLine(chart, "max", t, slices.stream().mapToDouble(Interval::max).toArray());
        addMarkers(chart, run.markers(), slices.stream().mapToDouble(Interval::max).max().orElse(1));
        return chart;
    }

    /** Completed operations per second over each run's course, with the first run's markers (downtime shows as a gap). */
    public static XYChart throughputTimeline(String title, Result... runs) {
        requireRuns(runs);
        XYChart chart = xyChart(title, "time since start (s)", "throughput (ops/s)");
        double top = 1;
        for (Result r : runs) {
            List<Interval> slices = r.timeline();
            double[] t = slices.stream().mapToDouble(i -> i.startSeconds() + i.seconds()).toArray();
            double[] ops = slices.stream().mapToDouble(Interval::throughput).toArray();
            addLine(chart, r.label(), t, ops);
            top = Math.max(top, Arrays.stream(ops).max().orElse(1));
        }
        addMarkers(chart, runs[0].markers(), top);
        return chart;
    }

    /** Sampled metrics over time (for example replication lag), lined up on a common start. */
    public static XYChart timeSeries(String title, String yLabel, TimeSeries... series) {
        return timeSeries(title, yLabel, List.of(), series);
    }

    /**
     * Sampled metrics over time with markers. Times are seconds since the earliest series
     * started; markers are taken as seconds on that same axis.
     */
    public static XYChart timeSeries(String title, String yLabel, List<Marker> markers, TimeSeries... series) {
        if (series == null || series.length == 0) {
            throw new IllegalArgumentException("pass at least one time series");
        }
        XYChart chart = xyChart(title, "time (s)", yLabel);
        long origin = Arrays.stream(series).mapToLong(TimeSeries::startEpochMillis).min().orElse(0);
        double top = 1;
        for (TimeSeries s : series) {
            if (s.size() == 0) {
                continue; // nothing sampled: no line rather than a made-up point
            }
            double shift = (s.startEpochMillis() - origin) / 1000.0;
            double[] t = Arrays.stream(s.seconds()).map(x -> x + shift).toArray();
            addLine(chart, s.name(), t, s.values());
            top = Math.max(top, s.max());
        }
        if (chart.getSeriesMap().isEmpty()) {
            addLine(chart, "(no samples)", new double[0], new double[0]);
        }
        addMarkers(chart, markers, top);
        return chart;
    }

    /**
     * Lines from a table: the first column is x (for a {@code Sample} table, {@code "t (s)"}),
     * the named columns (all the others if none are named) are one line each. Missing values
     * (a failed read) are left out, not drawn as zero.
     *
     * <pre>{@code
     * Charts.lines("replica2 falls behind during the burst", "lag (MB)", burst.table(), "replica1", "replica2")
     * }</pre>
     */
    public static XYChart lines(String title, String yLabel, tech.tablesaw.api.Table table, String... columns) {
        Objects.requireNonNull(table, "table");
        if (table.columnCount() < 2) {
            throw new IllegalArgumentException("Charts.lines: the table needs an x column and at least one more, got "
                    + table.columnNames());
        }
        String xName = table.column(0).name();
        List<String> names = columns.length > 0 ? List.of(columns) : table.columnNames().subList(1, table.columnCount());
        XYChart chart = xyChart(title, xName.equals("t (s)") ? "time (s)" : xName, yLabel);
        tech.tablesaw.api.NumericColumn<?> x = table.numberColumn(0);
        for (String name : names) {
            if (!table.columnNames().contains(name)) {
                throw new IllegalArgumentException("Charts.lines: no column named '" + name + "'; the table has "
                        + table.columnNames());
            }
            tech.tablesaw.api.NumericColumn<?> y = table.numberColumn(name);
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < table.rowCount(); i++) {
                if (!y.isMissing(i) && !x.isMissing(i)) {
                    points.add(new double[] {x.getDouble(i), y.getDouble(i)});
                }
            }
            addLine(chart, name, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
        }
        return chart;
    }

    /** Load per shard or partition as bars, for example rows or requests per shard. */
    public static CategoryChart load(String title, String xLabel, String yLabel, Map<String, ? extends Number> perPart) {
        if (perPart == null || perPart.isEmpty()) {
            throw new IllegalArgumentException("pass at least one shard or partition");
        }
        CategoryChart chart = categoryChart(title, xLabel, yLabel);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries(yLabel, new ArrayList<>(perPart.keySet()), new ArrayList<Number>(perPart.values()));
        return chart;
    }

    /** Load per partition numbered 0..n-1 (for example the counts of {@code Keys.counts}). */
    public static CategoryChart load(String title, String xLabel, String yLabel, long[] perPart) {
        Map<String, Long> named = new java.util.LinkedHashMap<>();
        for (int i = 0; i < perPart.length; i++) {
            named.put(String.valueOf(i), perPart[i]);
        }
        CategoryChart chart = load(title, xLabel, yLabel, named);
        if (perPart.length > 20) {
            chart.getStyler().setXAxisLabelRotation(90);
        }
        return chart;
    }

    /**
     * Load per shard for several strategies side by side: one group of bars per shard
     * (numbered 0..n-1), one colour per entry of {@code perStrategy} (e.g. "range" -> rows per shard).
     * Strategies with fewer shards than the widest one show 0 for the missing shards.
     */
    public static CategoryChart loads(String title, String xLabel, String yLabel, Map<String, long[]> perStrategy) {
        if (perStrategy == null || perStrategy.isEmpty()) {
            throw new IllegalArgumentException("pass the load of at least one strategy");
        }
        int width = perStrategy.values().stream().mapToInt(a -> a.length).max().orElse(0);
        if (width == 0) {
            throw new IllegalArgumentException("pass at least one shard per strategy");
        }
        List<String> shards = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            shards.add(String.valueOf(i));
        }
        CategoryChart chart = categoryChart(title, xLabel, yLabel);
        perStrategy.forEach((name, load) -> {
            List<Number> values = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                values.add(i < load.length ? load[i] : 0L);
            }
            chart.addSeries(name, shards, values);
        });
        return chart;
    }

    /** A metric as a function of a parameter (x sorted), for example throughput against pool size. */
    public static XYChart sweep(String title, String xLabel, String yLabel, Map<? extends Number, ? extends Number> points) {
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("pass at least one point");
        }
        XYChart chart = xyChart(title, xLabel, yLabel);
        chart.getStyler().setLegendVisible(false);
        addSweep(chart, yLabel, points);
        return chart;
    }

    /** A metric of each run as a function of a parameter: {@code sweep(t, "pool size", "p99 (ms)", runs, Result::p99)}. */
    public static XYChart sweep(String title, String xLabel, String yLabel, Map<? extends Number, Result> runs,
                                ToDoubleFunction<Result> metric) {
        Map<Number, Number> points = new java.util.LinkedHashMap<>();
        runs.forEach((x, r) -> points.put(x, metric.applyAsDouble(r)));
        return sweep(title, xLabel, yLabel, points);
    }

    /** Adds another named line to a sweep chart (the legend then shows). */
    public static XYChart addSweep(XYChart chart, String name, Map<? extends Number, ? extends Number> points) {
        TreeMap<Double, Double> sorted = new TreeMap<>();
        points.forEach((x, y) -> sorted.put(x.doubleValue(), y.doubleValue()));
        double[] xs = sorted.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] ys = sorted.values().stream().mapToDouble(Double::doubleValue).toArray();
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (chart.getSeriesMap().size() > 1) {
            chart.getStyler().setLegendVisible(true);
        }
        return chart;
    }

    // ---- style ----

    private static XYChart xyChart(String title, String xLabel, String yLabel) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(requireTitle(title)).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setMarkerSize(4);
        return chart;
    }

    private static CategoryChart categoryChart(String title, String xLabel, String yLabel) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(requireTitle(title)).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(chart.getStyler());
        chart.getStyler().setOverlapped(false);
        return chart;
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(new Color(0xe5e5e5));
        s.setSeriesColors(PALETTE);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setAnnotationLineColor(new Color(0x555555));
        s.setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAnnotationTextFontColor(new Color(0x333333));
        s.setYAxisMin(0.0);
        s.setAntiAlias(true);
    }

    private static void addLine(XYChart chart, String name, double[] x, double[] y) {
        if (x.length == 0) { // XChart cannot draw an empty series: an empty chart shows one point at 0
            x = new double[] {0};
            y = new double[] {0};
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(x.length > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }

    private static void addMarkers(XYChart chart, List<Marker> markers, double top) {
        for (Marker m : markers) {
            chart.addAnnotation(new AnnotationLine(m.atSeconds(), true, false));
            chart.addAnnotation(new AnnotationText(" " + m.label(), m.atSeconds(), top * 0.97, false));
        }
    }

    /** Slices where something completed (empty ones have no latency to draw). */
    private static List<Interval> nonEmpty(List<Interval> slices) {
        return slices.stream().filter(i -> i.operations() > 0).toList();
    }

    private static List<String> labels(Result[] runs) {
        return Arrays.stream(runs).map(Result::label).toList();
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String requireTitle(String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("give the chart a title that says what to notice");
        }
        return title;
    }

    private static void requireRuns(Result[] runs) {
        if (runs == null || runs.length == 0) {
            throw new IllegalArgumentException("pass at least one result");
        }
    }
}
