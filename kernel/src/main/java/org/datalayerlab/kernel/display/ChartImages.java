package org.datalayerlab.kernel.display;


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

    /** XChart's own bitmap (BitmapEncoder.getBufferedImage), from the XChart the cell loaded. */
    static String chartPngBase64(Object chart) {
        Object image = PublicApi.callStatic(chart, "org.knowm.xchart.BitmapEncoder", "getBufferedImage", chart);
        return imagePngBase64(image);
    }

    static String describeChart(Object chart) {
        Object title = PublicApi.call(chart, "getTitle");
        String shown = title == null || title.toString().isBlank() ? "" : ": " + title;
        return chart.getClass().getSimpleName() + shown + " (" + PublicApi.call(chart, "getWidth") + "x"
                + PublicApi.call(chart, "getHeight") + ")";
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
