package org.score4j.core.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.ImageIO;

/** One panel of a figure: maps data coordinates to pixels and draws axes with ticks. */
final class Chart {
    static final int MARGIN_LEFT = 58;
    static final int MARGIN_BOTTOM = 40;
    static final int MARGIN_TOP = 28;
    static final int MARGIN_RIGHT = 14;

    final Graphics2D g;
    final int x0;
    final int y0;
    final int width;
    final int height;
    final double xMin;
    final double xMax;
    final double yMin;
    final double yMax;
    final boolean logY;

    Chart(Graphics2D g, int left, int top, int panelWidth, int panelHeight, double xMin, double xMax, double yMin,
          double yMax, boolean logY) {
        this.g = g;
        this.x0 = left + MARGIN_LEFT;
        this.y0 = top + MARGIN_TOP;
        this.width = panelWidth - MARGIN_LEFT - MARGIN_RIGHT;
        this.height = panelHeight - MARGIN_TOP - MARGIN_BOTTOM;
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = logY ? Math.log10(yMin) : yMin;
        this.yMax = logY ? Math.log10(yMax) : yMax;
        this.logY = logY;
    }

    static BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    static void save(BufferedImage img, Path file) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", temp.toFile())) {
            throw new IOException("no PNG writer available");
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    double px(double x) {
        return x0 + (x - xMin) / (xMax - xMin) * width;
    }

    double py(double y) {
        double v = logY ? Math.log10(Math.max(y, 1e-300)) : y;
        return y0 + height - (v - yMin) / (yMax - yMin) * height;
    }

    boolean inside(double x, double y) {
        return x >= xMin && x <= xMax && (logY ? Math.log10(y) : y) >= yMin && (logY ? Math.log10(y) : y) <= yMax;
    }

    void frame(String title, String xLabel, String yLabel) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x0, y0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, x0, y0 - 9);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double t : ticks(xMin, xMax)) {
            int x = (int) Math.round(px(t));
            g.drawLine(x, y0 + height, x, y0 + height + 4);
            String s = label(t);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, y0 + height + 17);
        }
        for (double t : ticks(yMin, yMax)) {
            int y = (int) Math.round(y0 + height - (t - yMin) / (yMax - yMin) * height);
            g.drawLine(x0 - 4, y, x0, y);
            String s = logY ? "1e" + (int) Math.round(t) : label(t);
            if (logY && Math.abs(t - Math.rint(t)) > 1e-9) {
                continue;
            }
            g.drawString(s, x0 - 7 - g.getFontMetrics().stringWidth(s), y + 4);
        }
        g.drawString(xLabel, x0 + width / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, y0 + height + 33);
        var old = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(y0 + height / 2) - g.getFontMetrics().stringWidth(yLabel) / 2, x0 - 44);
        g.setTransform(old);
    }

    static double[] ticks(double lo, double hi) {
        double span = hi - lo;
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (span / (step * m) <= 6) {
                step *= m;
                break;
            }
        }
        java.util.List<Double> t = new java.util.ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) {
            t.add(Math.abs(v) < 1e-12 * span ? 0 : v);
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String label(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.2g", v);
    }
}
