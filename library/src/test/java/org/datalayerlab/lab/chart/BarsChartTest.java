package org.datalayerlab.lab.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.junit.jupiter.api.Test;

class BarsChartTest {

    @Test
    void groupedBarsKeepCategoryOrderAndFillGaps() throws IOException {
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        Map<String, Double> reads = new LinkedHashMap<>();
        reads.put("no fix", 0.3);
        reads.put("wait for LSN", 52.0);
        reads.put("remote_apply", 0.3);
        Map<String, Double> writes = new LinkedHashMap<>();
        writes.put("no fix", 1.1);
        writes.put("remote_apply", 51.0);
        series.put("read p50", reads);
        series.put("write p50", writes);

        CategoryChart chart = Charts.bars("Where the wait goes", "fix", "latency (ms)", series);
        CategorySeries w = chart.getSeriesMap().get("write p50");
        assertEquals(List.of("no fix", "wait for LSN", "remote_apply"), List.copyOf(w.getXData()));
        assertEquals(List.of(1.1, 0, 51.0), List.copyOf(w.getYData()));
        assertTrue(chart.getStyler().isLegendVisible());

        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        assertTrue(png.length > 1000);
        Files.createDirectories(Path.of("target", "charts"));
        Files.write(Path.of("target", "charts", "bars.png"), png);
    }

    @Test
    void barsNeedData() {
        assertThrows(IllegalArgumentException.class, () -> Charts.bars("t", "x", "y", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Charts.bars("t", "x", "y", Map.of("s", Map.of())));
        assertThrows(IllegalArgumentException.class, () -> Charts.bars("", "x", "y", Map.of("s", Map.of("a", 1))));
    }
}
