package org.datalayerlab.kernel.display;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** PNG encodings of charts and images, base64 as Jupyter's image/png expects. */
final class ChartImages {

    private ChartImages() {
    }

    static String chartPngBase64(Object chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes((Chart<?, ?>) chart, BitmapEncoder.BitmapFormat.PNG);
            return Base64.getEncoder().encodeToString(png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the chart as PNG", e);
        }
    }

    static String describeChart(Object chart) {
        Chart<?, ?> c = (Chart<?, ?>) chart;
        String title = c.getTitle() == null || c.getTitle().isBlank() ? "" : ": " + c.getTitle();
        return chart.getClass().getSimpleName() + title + " (" + c.getWidth() + "x" + c.getHeight() + ")";
    }

    static String imagePngBase64(Object image) {
        RenderedImage rendered = image instanceof RenderedImage ? (RenderedImage) image : toBuffered((Image) image);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(rendered, "png", png)) {
                throw new IllegalArgumentException("no PNG writer for " + image.getClass().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the image as PNG", e);
        }
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }

    static String describeImage(Object image) {
        Image img = (Image) image;
        return image.getClass().getSimpleName() + " " + img.getWidth(null) + "x" + img.getHeight(null);
    }

    private static BufferedImage toBuffered(Image image) {
        int width = Math.max(1, image.getWidth(null));
        int height = Math.max(1, image.getHeight(null));
        BufferedImage buffered = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = buffered.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return buffered;
    }
}
