package org.score4j.core.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The figures of a study: one metric per cell as bars, and every cell's sample plot side by side. */
public final class StudyPlots {
    private static final Color BAR = new Color(90, 130, 200);
    private static final Color SEED = new Color(200, 30, 30, 190);
    private static final int ROW = 34;
    private static final int TILE = 300;

    private StudyPlots() {
    }

    /**
     * Horizontal bars of the mean of one metric per row, with ± one standard deviation as a whisker and each
     * seed's value as a dot.
     *
     * @param values each row's values, one per finished seed (an empty row is drawn without a bar)
     */
    public static void bars(Path file, String title, List<String> labels, double[] mean, double[] std, double[][] values)
            throws IOException {
        int n = labels.size();
        BufferedImage probe = Chart.canvas(1, 1);
        Graphics2D pg = Chart.graphics(probe);
        int labelWidth = labels.stream().mapToInt(l -> pg.getFontMetrics().stringWidth(l)).max().orElse(0) + 16;
        pg.dispose();
        int plotWidth = 460;
        int w = labelWidth + plotWidth + 30;
        int h = Chart.MARGIN_TOP + 20 + n * ROW + Chart.MARGIN_BOTTOM;
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            for (double v : values[i]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (!Double.isNaN(mean[i])) {
                lo = Math.min(lo, mean[i] - std[i]);
                hi = Math.max(hi, mean[i] + std[i]);
            }
        }
        if (hi <= lo) {
            hi = lo + 1;
        }
        double pad = 0.05 * (hi - lo);
        hi += pad;
        lo = lo < 0 ? lo - pad : lo;
        BufferedImage img = Chart.canvas(w, h);
        Graphics2D g = Chart.graphics(img);
        int x0 = labelWidth;
        int y0 = Chart.MARGIN_TOP + 10;
        double scale = plotWidth / (hi - lo);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 10, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < n; i++) {
            int yc = y0 + i * ROW + ROW / 2;
            g.setColor(Color.DARK_GRAY);
            g.drawString(labels.get(i), 8, yc + 4);
            if (!Double.isNaN(mean[i])) {
                double a = x0 + (Math.min(0, mean[i]) - lo) * scale;
                double b = x0 + (Math.max(0, mean[i]) - lo) * scale;
                g.setColor(BAR);
                g.fill(new Rectangle2D.Double(a, yc - ROW * 0.3, Math.max(1, b - a), ROW * 0.6));
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1.5f));
                double l = x0 + (mean[i] - std[i] - lo) * scale;
                double r = x0 + (mean[i] + std[i] - lo) * scale;
                g.drawLine((int) l, yc, (int) r, yc);
                g.drawLine((int) l, yc - 5, (int) l, yc + 5);
                g.drawLine((int) r, yc - 5, (int) r, yc + 5);
                g.drawString(String.format(Locale.ROOT, "%.3g", mean[i]), (int) Math.max(b, r) + 6, yc + 4);
            } else {
                g.setColor(Color.GRAY);
                g.drawString("no value (failed)", x0 + 6, yc + 4);
            }
            g.setColor(SEED);
            for (double v : values[i]) {
                double x = x0 + (v - lo) * scale;
                g.fill(new Ellipse2D.Double(x - 3, yc - 3, 6, 6));
            }
        }
        int axisY = y0 + n * ROW + 4;
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawLine(x0, axisY, x0 + plotWidth, axisY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double t : Chart.ticks(lo, hi)) {
            int x = (int) Math.round(x0 + (t - lo) * scale);
            g.drawLine(x, axisY, x, axisY + 4);
            String s = String.format(Locale.ROOT, "%.3g", t);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, axisY + 17);
        }
        g.dispose();
        Chart.save(img, file);
    }

    /** The given images (e.g. each cell's {@code samples.png}) scaled into one grid, each under its caption. */
    public static void montage(Path file, String title, List<String> captions, List<Path> images, int columns)
            throws IOException {
        int n = images.size();
        int cols = Math.max(1, Math.min(columns, n));
        int rows = (n + cols - 1) / cols;
        int caption = 34;
        BufferedImage img = Chart.canvas(cols * TILE, 30 + rows * (TILE + caption));
        Graphics2D g = Chart.graphics(img);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 8, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < n; i++) {
            int x = (i % cols) * TILE;
            int y = 30 + (i / cols) * (TILE + caption);
            g.setColor(Color.DARK_GRAY);
            drawWrapped(g, captions.get(i), x + 6, y + 12, TILE - 12);
            BufferedImage tile = Files.isRegularFile(images.get(i)) ? ImageIO.read(images.get(i).toFile()) : null;
            if (tile != null) {
                double s = Math.min((double) TILE / tile.getWidth(), (double) TILE / tile.getHeight());
                int tw = (int) (tile.getWidth() * s);
                int th = (int) (tile.getHeight() * s);
                g.drawImage(tile, x + (TILE - tw) / 2, y + caption, tw, th, null);
            } else {
                g.setColor(Color.GRAY);
                g.drawString("no samples (failed)", x + 20, y + caption + TILE / 2);
            }
        }
        g.dispose();
        Chart.save(img, file);
    }

    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width) {
        StringBuilder line = new StringBuilder();
        int lineY = y;
        for (String word : text.split(" ")) {
            if (line.length() > 0 && g.getFontMetrics().stringWidth(line + " " + word) > width) {
                g.drawString(line.toString(), x, lineY);
                line.setLength(0);
                lineY += 13;
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        g.drawString(line.toString(), x, lineY);
    }
}
