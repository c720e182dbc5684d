// Draws learning-path.png, the index's learning path as an image for front ends that do not draw
// mermaid (the mermaid block in 00-index.ipynb is the same graph; change both together).
// Run from the repository root:
//   java -Djava.awt.headless=true notebooks/images/LearningPath.java notebooks/images/learning-path.png
import java.awt.*;
import java.awt.geom.*;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.*;
import java.util.List;
import javax.imageio.ImageIO;

public class LearningPath {

    record Box(String id, String label, int column, double row) {}

    static final int COLUMN_WIDTH = 230, ROW_HEIGHT = 90, BOX_WIDTH = 190, BOX_HEIGHT = 54, MARGIN = 30;

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java notebooks/images/LearningPath.java OUTPUT.png");
            System.exit(2);
        }
        // the graph: boxes in columns (left to right = order of study) and the arrows between them
        List<Box> boxes = List.of(
                new Box("A", "01 Replication basics", 0, 0.5),
                new Box("B", "02 Read replicas", 1, 0),
                new Box("E", "04 Indexing", 1, 1.5),
                new Box("C", "03 Sharding", 2, 0),
                new Box("F", "Query optimisation|(04, 06)", 2, 1.5),
                new Box("D", "07 Multi-region", 3, 0),
                new Box("G", "10 Hot partitions", 3, 1),
                new Box("H", "11 Distributed|transactions", 4, 0));
        String[][] arrows = {{"A", "B"}, {"B", "C"}, {"C", "D"}, {"A", "E"}, {"E", "F"}, {"C", "G"}, {"D", "H"}};

        Map<String, Rectangle2D> at = new HashMap<>();
        for (Box b : boxes) {
            at.put(b.id(), new Rectangle2D.Double(MARGIN + b.column() * COLUMN_WIDTH, MARGIN + 26 + b.row() * ROW_HEIGHT,
                    BOX_WIDTH, BOX_HEIGHT));
        }
        int width = 2 * MARGIN + 4 * COLUMN_WIDTH + BOX_WIDTH;
        int height = 2 * MARGIN + 26 + (int) (1.5 * ROW_HEIGHT) + BOX_HEIGHT;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        g.setColor(new Color(60, 60, 60));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Learning path: start with 01, then follow the branch you need", MARGIN, MARGIN + 4);

        g.setStroke(new BasicStroke(2f));
        for (String[] arrow : arrows) {
            arrow(g, at.get(arrow[0]), at.get(arrow[1]));
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        for (Box b : boxes) {
            Rectangle2D r = at.get(b.id());
            var shape = new RoundRectangle2D.Double(r.getX(), r.getY(), r.getWidth(), r.getHeight(), 14, 14);
            g.setColor(new Color(232, 240, 254));
            g.fill(shape);
            g.setColor(new Color(66, 103, 178));
            g.draw(shape);
            g.setColor(Color.BLACK);
            String[] lines = b.label().split("\\|");
            FontMetrics fm = g.getFontMetrics();
            double top = r.getCenterY() - lines.length * fm.getHeight() / 2.0 + fm.getAscent();
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], (float) (r.getCenterX() - fm.stringWidth(lines[i]) / 2.0),
                        (float) (top + i * fm.getHeight()));
            }
        }
        g.dispose();
        ImageIO.write(image, "png", new File(args[0]));
    }

    /** An arrow from the right edge of one box to the left edge of the next, with its head. */
    static void arrow(Graphics2D g, Rectangle2D from, Rectangle2D to) {
        double x1 = from.getMaxX(), y1 = from.getCenterY(), x2 = to.getMinX(), y2 = to.getCenterY();
        g.setColor(new Color(90, 90, 90));
        g.draw(new CubicCurve2D.Double(x1, y1, (x1 + x2) / 2, y1, (x1 + x2) / 2, y2, x2, y2));
        var head = new Path2D.Double();
        head.moveTo(x2, y2);
        head.lineTo(x2 - 10, y2 - 5);
        head.lineTo(x2 - 10, y2 + 5);
        head.closePath();
        g.fill(head);
    }
}
