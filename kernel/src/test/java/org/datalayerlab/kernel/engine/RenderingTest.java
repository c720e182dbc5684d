package org.datalayerlab.kernel.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderingTest {

    static JShellEngine engine;

    @BeforeAll
    static void start() {
        engine = new JShellEngine(Path.of("."));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static Map<String, Object> result(String code) {
        CellEngine.CellResult r = engine.execute(code, new RecordingSink());
        assertEquals(CellEngine.CellResult.Status.OK, r.status(), () -> String.valueOf(r.error()));
        return r.executeResult();
    }

    static BufferedImage decodePng(Object base64) throws Exception {
        byte[] png = Base64.getDecoder().decode((String) base64);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image);
        return image;
    }

    @Test
    void xchartIsAPng() throws Exception {
        Map<String, Object> bundle = result(
                "var chart = org.knowm.xchart.QuickChart.getChart(\"Lag\", \"time (s)\", \"lag (ms)\", \"replica 1\",\n"
                        + "    new double[] {1, 2, 3}, new double[] {5, 3, 8});\nchart");
        BufferedImage image = decodePng(bundle.get("image/png"));
        assertEquals(600, image.getWidth());
        assertTrue(((String) bundle.get("text/plain")).contains("Lag"));
    }

    @Test
    void bufferedImageIsAPng() throws Exception {
        Map<String, Object> bundle = result("new java.awt.image.BufferedImage(30, 20, java.awt.image.BufferedImage.TYPE_INT_RGB)");
        BufferedImage image = decodePng(bundle.get("image/png"));
        assertEquals(30, image.getWidth());
        assertEquals(20, image.getHeight());
    }

    @Test
    void tablesawTableIsEscapedHtml() {
        Map<String, Object> bundle = result(
                "tech.tablesaw.api.Table.create(\"shards\",\n"
                        + "    tech.tablesaw.api.StringColumn.create(\"name\", \"<b>hot</b>\", \"a&b\"),\n"
                        + "    tech.tablesaw.api.IntColumn.create(\"rows\", 10, 20))");
        String html = (String) bundle.get("text/html");
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("<th>name</th>"), html);
        assertTrue(html.contains("&lt;b&gt;hot&lt;/b&gt;"), html);
        assertTrue(html.contains("a&amp;b"), html);
        assertFalse(html.contains("<b>hot"), html);
        assertTrue(((String) bundle.get("text/plain")).contains("rows"));
    }

    @Test
    void displayAndUpdateDisplay() {
        RecordingSink sink = new RecordingSink();
        CellEngine.CellResult r = engine.execute("String id = display(\"first\");\nupdateDisplay(id, \"second\");\n"
                + "display(new java.awt.image.BufferedImage(4, 4, 1), \"image/png\");", sink);
        assertEquals(CellEngine.CellResult.Status.OK, r.status(), () -> String.valueOf(r.error()));
        assertEquals(3, sink.displays.size());
        assertEquals("first", sink.displays.get(0).get("text/plain"));
        assertEquals("second", sink.displays.get(1).get("text/plain"));
        assertEquals(sink.displayIds.get(0), sink.displayIds.get(1));
        assertTrue(sink.updates.get(1));
        assertEquals(java.util.Set.of("image/png"), sink.displays.get(2).keySet());
    }

    @Test
    void renderReturnsABundleThatShowsAsTheValue() {
        Map<String, Object> bundle = result("render(\"<i>x</i>\", \"text/plain\")");
        assertEquals(Map.of("text/plain", "<i>x</i>"), bundle);
    }

    @Test
    void aStringRendersAsAnyRequestedType() {
        RecordingSink sink = new RecordingSink();
        CellEngine.CellResult r = engine.execute("display(\"<b>x</b>\", \"text/html\");\n"
                + "display(\"# t\", \"text/markdown\", \"text/plain\");", sink);
        assertEquals(CellEngine.CellResult.Status.OK, r.status(), () -> String.valueOf(r.error()));
        assertEquals(Map.of("text/html", "<b>x</b>"), sink.displays.get(0));
        assertEquals(Map.of("text/markdown", "# t", "text/plain", "# t"), sink.displays.get(1));
    }

    @Test
    void anUnsupportedRequestedTypeIsLeftOut() throws Exception {
        Map<String, Object> bundle = result("var img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);\n"
                + "render(img, \"application/pdf\", \"image/*\")");
        assertEquals(java.util.Set.of("image/png"), bundle.keySet());
        decodePng(bundle.get("image/png"));
    }

    @Test
    void aHandMadeDisplayDataShowsAsItsData() {
        Map<String, Object> bundle = result("var d = new org.dflib.jjava.jupyter.kernel.display.DisplayData(\"plain\");\n"
                + "d.putHTML(\"<p>html</p>\");\nd");
        assertEquals(Map.of("text/plain", "plain", "text/html", "<p>html</p>"), bundle);
    }

    @Test
    void aLiveLineShowsAndUpdatesOnlyWhereAFrontEndWatches() {
        String cell = "var id = org.datalayerlab.kernel.display.Live.show(\"1 of 2\");\n"
                + "org.datalayerlab.kernel.display.Live.update(id, \"2 of 2\");\nid == null";
        RecordingSink watched = new RecordingSink();
        watched.live = true;
        CellEngine.CellResult r = engine.execute(cell, watched);
        assertEquals(Map.of("text/plain", "false"), r.executeResult());
        assertEquals(java.util.List.of(Map.of("text/plain", "1 of 2"), Map.of("text/plain", "2 of 2")), watched.displays);
        assertEquals(watched.displayIds.get(0), watched.displayIds.get(1));
        assertEquals(java.util.List.of(false, true), watched.updates);

        RecordingSink headless = new RecordingSink();
        r = engine.execute(cell, headless);
        assertEquals(Map.of("text/plain", "true"), r.executeResult());
        assertTrue(headless.displays.isEmpty());
        assertEquals("", headless.err.toString());
    }

    @Test
    void clearOutputReachesTheSink() {
        RecordingSink sink = new RecordingSink();
        CellEngine.CellResult r = engine.execute("System.out.println(\"a\"); clearOutput(true); clearOutput();", sink);
        assertEquals(CellEngine.CellResult.Status.OK, r.status(), () -> String.valueOf(r.error()));
        assertEquals(java.util.List.of(true, false), sink.clears);
        assertEquals("a\n", sink.out.toString());
    }
}
