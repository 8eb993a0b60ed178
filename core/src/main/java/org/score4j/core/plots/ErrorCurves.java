package org.score4j.core.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Errors against a cost, both on log scales: one panel per measure, one line per method, the data's noise floor dashed.
 * The sampler benchmark's error-versus-evaluations figure.
 */
public final class ErrorCurves {
    private static final int PANEL_WIDTH = 460;
    private static final int PANEL_HEIGHT = 340;
    private static final int LEGEND_ROW = 18;
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    private ErrorCurves() {
    }

    /**
     * One method's errors; points with a value that is not finite and positive are left out (and break the line).
     *
     * @param x the costs, &gt; 0
     * @param y the errors
     */
    public record Series(String label, double[] x, double[] y) {
    }

    /**
     * @param floor the data's noise floor, drawn dashed; NaN for none
     */
    public record Panel(String title, String xLabel, String yLabel, List<Series> series, double floor) {
    }

    /** Draws the panels in rows of {@code columns}, with one legend below for every series label. */
    public static void draw(Path file, List<Panel> panels, int columns) throws IOException {
        Set<String> labels = new LinkedHashSet<>();
        panels.forEach(p -> p.series().forEach(s -> labels.add(s.label())));
        List<String> legend = new ArrayList<>(labels);
        int cols = Math.max(1, Math.min(columns, panels.size()));
        int rows = (panels.size() + cols - 1) / cols;
        // Each legend entry as wide as the longest label needs (about 7 pixels a character, after its 28-pixel line).
        int entry = Math.max(180, 40 + 7 * legend.stream().mapToInt(String::length).max().orElse(0));
        int perLine = Math.max(1, (cols * PANEL_WIDTH - 20) / entry);
        int legendHeight = 12 + LEGEND_ROW * ((legend.size() + perLine - 1) / perLine);
        BufferedImage img = Chart.canvas(cols * PANEL_WIDTH, rows * PANEL_HEIGHT + legendHeight);
        Graphics2D g = Chart.graphics(img);
        for (int i = 0; i < panels.size(); i++) {
            panel(g, panels.get(i), (i % cols) * PANEL_WIDTH, (i / cols) * PANEL_HEIGHT, legend);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < legend.size(); i++) {
            int x = 20 + (i % perLine) * entry;
            int y = rows * PANEL_HEIGHT + 16 + (i / perLine) * LEGEND_ROW;
            g.setColor(color(i));
            g.setStroke(new BasicStroke(2.5f));
            g.drawLine(x, y - 4, x + 22, y - 4);
            g.setColor(Color.DARK_GRAY);
            g.drawString(legend.get(i), x + 28, y);
        }
        g.dispose();
        Chart.save(img, file);
    }

    private static void panel(Graphics2D g, Panel p, int left, int top, List<String> legend) {
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = 0;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = 0;
        for (Series s : p.series()) {
            for (int i = 0; i < s.x().length; i++) {
                if (usable(s.x()[i], s.y()[i])) {
                    xLo = Math.min(xLo, s.x()[i]);
                    xHi = Math.max(xHi, s.x()[i]);
                    yLo = Math.min(yLo, s.y()[i]);
                    yHi = Math.max(yHi, s.y()[i]);
                }
            }
        }
        if (p.floor() > 0 && Double.isFinite(p.floor())) {
            yLo = Math.min(yLo, p.floor());
            yHi = Math.max(yHi, p.floor());
        }
        if (!(xLo <= xHi)) {
            xLo = 1;
            xHi = 10;
        }
        if (!(yLo <= yHi)) {
            yLo = 0.1;
            yHi = 1;
        }
        double x0 = Math.pow(10, Math.floor(Math.log10(xLo)));
        double x1 = Math.pow(10, Math.max(Math.log10(x0) + 1, Math.ceil(Math.log10(xHi) - 1e-9)));
        double y0 = Math.pow(10, Math.floor(Math.log10(yLo)));
        double y1 = Math.pow(10, Math.max(Math.log10(y0) + 1, Math.ceil(Math.log10(yHi) - 1e-9)));
        // The chart maps log10(x) linearly; its own x axis would label those logarithms, so this one draws decades.
        Chart c = new Chart(g, left, top, PANEL_WIDTH, PANEL_HEIGHT, Math.log10(x0), Math.log10(x1), y0, y1, true);
        if (p.floor() > 0 && Double.isFinite(p.floor())) {
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.draw(new Line2D.Double(c.x0, c.py(p.floor()), c.x0 + c.width, c.py(p.floor())));
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString("data floor", c.x0 + c.width - 52, (float) c.py(p.floor()) - 4);
        }
        for (Series s : p.series()) {
            g.setColor(color(legend.indexOf(s.label())));
            g.setStroke(new BasicStroke(2f));
            double[] prev = null;
            for (int i = 0; i < s.x().length; i++) {
                if (!usable(s.x()[i], s.y()[i])) {
                    prev = null;
                    continue;
                }
                double px = c.px(Math.log10(s.x()[i]));
                double py = c.py(s.y()[i]);
                if (prev != null) {
                    g.draw(new Line2D.Double(prev[0], prev[1], px, py));
                }
                g.fill(new Ellipse2D.Double(px - 3, py - 3, 6, 6));
                prev = new double[] {px, py};
            }
        }
        frame(c, p, x0, x1, y0, y1);
    }

    /** Box, title, decade ticks on both axes and the labels. */
    private static void frame(Chart c, Panel p, double x0, double x1, double y0, double y1) {
        Graphics2D g = c.g;
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(c.x0, c.y0, c.width, c.height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(p.title(), c.x0, c.y0 - 9);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double d = x0; d <= x1 * 1.0001; d *= 10) {
            for (int m = 1; m < 10 && d * m <= x1 * 1.0001; m++) {
                int x = (int) Math.round(c.px(Math.log10(d * m)));
                g.drawLine(x, c.y0 + c.height, x, c.y0 + c.height + (m == 1 ? 5 : 2));
                if (m == 1) {
                    String s = label(d);
                    g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, c.y0 + c.height + 17);
                }
            }
        }
        for (double d = y0; d <= y1 * 1.0001; d *= 10) {
            int y = (int) Math.round(c.py(d));
            g.drawLine(c.x0 - 5, y, c.x0, y);
            String s = label(d);
            g.drawString(s, c.x0 - 8 - g.getFontMetrics().stringWidth(s), y + 4);
        }
        g.drawString(p.xLabel(), c.x0 + c.width / 2 - g.getFontMetrics().stringWidth(p.xLabel()) / 2,
                c.y0 + c.height + 33);
        var old = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(p.yLabel(), -(c.y0 + c.height / 2) - g.getFontMetrics().stringWidth(p.yLabel()) / 2, c.x0 - 46);
        g.setTransform(old);
    }

    private static String label(double decade) {
        long e = Math.round(Math.log10(decade));
        return e >= 0 && e <= 4 ? Long.toString(Math.round(decade)) : "1e" + e;
    }

    private static boolean usable(double x, double y) {
        return x > 0 && Double.isFinite(x) && y > 0 && Double.isFinite(y);
    }

    private static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }
}
