package org.score4j.core.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ScoreFunction;
import org.score4j.core.training.TrainingLog;

/** The PNG figures of a run: samples over the data density, the score field, the loss curve. */
public final class Plots {
    private static final Color SAMPLE = new Color(200, 30, 30, 150);
    private static final int PANEL = 460;

    private Plots() {
    }

    /** Samples (red) over a 2-D histogram of fresh data (blue); the view covers both sets. */
    public static void scatter(Path file, String title, double[][] samples, double[][] data) throws IOException {
        double[] box = bounds(samples, data);
        BufferedImage img = Chart.canvas(PANEL + 40, PANEL);
        Graphics2D g = Chart.graphics(img);
        Chart c = new Chart(g, 0, 0, PANEL + 40, PANEL, box[0], box[1], box[2], box[3], false);
        int bins = 90;
        int[][] counts = new int[bins][bins];
        int max = 1;
        for (double[] p : data) {
            int i = (int) ((p[0] - box[0]) / (box[1] - box[0]) * bins);
            int j = (int) ((p[1] - box[2]) / (box[3] - box[2]) * bins);
            if (i >= 0 && i < bins && j >= 0 && j < bins) {
                max = Math.max(max, ++counts[i][j]);
            }
        }
        double cw = (double) c.width / bins;
        double ch = (double) c.height / bins;
        for (int i = 0; i < bins; i++) {
            for (int j = 0; j < bins; j++) {
                if (counts[i][j] > 0) {
                    float a = (float) Math.sqrt((double) counts[i][j] / max);
                    g.setColor(new Color(1 - 0.75f * a, 1 - 0.55f * a, 1f));
                    g.fill(new java.awt.geom.Rectangle2D.Double(c.x0 + i * cw, c.y0 + c.height - (j + 1) * ch, cw + 0.5, ch + 0.5));
                }
            }
        }
        g.setColor(SAMPLE);
        for (double[] p : samples) {
            if (c.inside(p[0], p[1])) {
                g.fill(new java.awt.geom.Ellipse2D.Double(c.px(p[0]) - 1.6, c.py(p[1]) - 1.6, 3.2, 3.2));
            }
        }
        c.frame(title, "x₁", "x₂");
        g.dispose();
        Chart.save(img, file);
    }

    /** The zoom that makes an image of h×w at least {@value #READABLE} pixels wide and high, and at least {@code least}. */
    static int zoom(int h, int w, int least) {
        return Math.max(least, (READABLE + Math.max(h, w) - 1) / Math.max(h, w));
    }

    /** The size, in pixels, below which an image in a grid is scaled up: 8×8 images are drawn 8 times larger. */
    static final int READABLE = 64;

    /**
     * Images {@code [n, C, H, W]} with values in [0, 1] (clipped) as a grid of {@code columns} columns, each pixel
     * drawn as a square block, scaled so an image is at least {@value #READABLE} pixels across (and by at least
     * {@code least}): grey for one channel, colour for three.
     */
    public static void imageGrid(Path file, INDArray images, int columns, int least) throws IOException {
        long[] shape = images.shape();
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        int zoom = zoom(h, w, least);
        int cols = Math.max(1, Math.min(columns, n));
        int rows = (n + cols - 1) / cols;
        int gap = 2;
        BufferedImage img = new BufferedImage(cols * (w * zoom + gap) + gap, rows * (h * zoom + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.dispose();
        float[] v = org.score4j.api.tensors.Tensors.floats(images);
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int x0 = gap + (i % cols) * (w * zoom + gap);
            int y0 = gap + (i / cols) * (h * zoom + gap);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int base = i * c * plane + y * w + x;
                    int r = level(v[base]);
                    int gr = c == 3 ? level(v[base + plane]) : r;
                    int b = c == 3 ? level(v[base + 2 * plane]) : r;
                    int rgb = (r << 16) | (gr << 8) | b;
                    for (int dy = 0; dy < zoom; dy++) {
                        for (int dx = 0; dx < zoom; dx++) {
                            img.setRGB(x0 + x * zoom + dx, y0 + y * zoom + dy, rgb);
                        }
                    }
                }
            }
        }
        Chart.save(img, file);
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    /**
     * The learned score (red arrows) at the largest, a middle and the smallest level, with the exact
     * score (grey) when known. Arrow lengths are normalised per panel.
     */
    public static void scoreField(Path file, ScoreFunction learned, Optional<ScoreFunction> exact, NoiseSchedule schedule,
                                  double[][] data) throws IOException {
        int[] levels = schedule.size() >= 3 ? new int[] {0, schedule.size() / 2, schedule.size() - 1}
                : schedule.size() == 2 ? new int[] {0, 1} : new int[] {0};
        double[] box = bounds(data, data);
        BufferedImage img = Chart.canvas(PANEL * levels.length, PANEL);
        Graphics2D g = Chart.graphics(img);
        int grid = 19;
        float[][] pts = new float[grid * grid][2];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                pts[i * grid + j][0] = (float) (box[0] + (i + 0.5) * (box[1] - box[0]) / grid);
                pts[i * grid + j][1] = (float) (box[2] + (j + 0.5) * (box[3] - box[2]) / grid);
            }
        }
        INDArray x = Nd4j.create(pts);
        for (int p = 0; p < levels.length; p++) {
            double sigma = schedule.sigma(levels[p]);
            Chart c = new Chart(g, p * PANEL, 0, PANEL, PANEL, box[0], box[1], box[2], box[3], false);
            double cell = Math.min(c.width, c.height) / (double) grid * 0.9;
            if (exact.isPresent()) {
                arrows(g, c, pts, exact.get().score(x, sigma).toDoubleMatrix(), cell, new Color(150, 150, 150), 1.6f);
            }
            arrows(g, c, pts, learned.score(x, sigma).toDoubleMatrix(), cell, new Color(200, 30, 30), 1.1f);
            c.frame(String.format(Locale.ROOT, "score at σ = %.3g%s", sigma, exact.isPresent() ? " (grey: exact)" : ""),
                    "x₁", "x₂");
        }
        g.dispose();
        Chart.save(img, file);
    }

    /** The training loss (log scale) against the step. */
    public static void lossCurve(Path file, List<TrainingLog.Row> rows) throws IOException {
        BufferedImage img = Chart.canvas(PANEL + 120, PANEL - 80);
        Graphics2D g = Chart.graphics(img);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (TrainingLog.Row r : rows) {
            if (r.loss() > 0) {
                lo = Math.min(lo, r.loss());
                hi = Math.max(hi, r.loss());
            }
        }
        if (!(lo < hi)) {
            lo = lo > 0 && Double.isFinite(lo) ? lo / 2 : 1e-3;
            hi = lo * 4;
        }
        long last = rows.isEmpty() ? 1 : rows.get(rows.size() - 1).step();
        Chart c = new Chart(g, 0, 0, PANEL + 120, PANEL - 80, 0, last, Math.pow(10, Math.floor(Math.log10(lo))),
                Math.pow(10, Math.ceil(Math.log10(hi))), true);
        g.setColor(new Color(30, 80, 200));
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 1; i < rows.size(); i++) {
            g.draw(new Line2D.Double(c.px(rows.get(i - 1).step()), c.py(rows.get(i - 1).loss()), c.px(rows.get(i).step()),
                    c.py(rows.get(i).loss())));
        }
        c.frame("training loss", "step", "loss");
        g.dispose();
        Chart.save(img, file);
    }

    private static void arrows(Graphics2D g, Chart c, float[][] pts, double[][] s, double cell, Color color, float width) {
        double max = 1e-12;
        for (double[] v : s) {
            max = Math.max(max, Math.hypot(v[0], v[1]));
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(width));
        for (int i = 0; i < pts.length; i++) {
            double len = Math.hypot(s[i][0], s[i][1]);
            if (!Double.isFinite(len) || len == 0) {
                continue;
            }
            // Square-root scaling keeps small arrows visible next to the large ones far from the data.
            double k = cell * Math.sqrt(len / max) / len;
            double x1 = c.px(pts[i][0]);
            double y1 = c.py(pts[i][1]);
            double dx = s[i][0] * k;
            double dy = -s[i][1] * k;
            g.draw(new Line2D.Double(x1, y1, x1 + dx, y1 + dy));
            double a = Math.atan2(dy, dx);
            double h = Math.min(5, 0.35 * Math.hypot(dx, dy));
            g.draw(new Line2D.Double(x1 + dx, y1 + dy, x1 + dx - h * Math.cos(a - 0.4), y1 + dy - h * Math.sin(a - 0.4)));
            g.draw(new Line2D.Double(x1 + dx, y1 + dy, x1 + dx - h * Math.cos(a + 0.4), y1 + dy - h * Math.sin(a + 0.4)));
        }
    }

    private static double[] bounds(double[][] a, double[][] b) {
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[][] set : new double[][][] {a, b}) {
            for (int k = 0; k < 2; k++) {
                double[] v = new double[set.length];
                for (int i = 0; i < set.length; i++) {
                    v[i] = set[i][k];
                }
                java.util.Arrays.sort(v);
                // Robust limits: ignore the outermost 0.5% so a few stray chains do not shrink the view.
                double l = v[(int) (0.005 * (v.length - 1))];
                double h = v[(int) (0.995 * (v.length - 1))];
                if (Double.isFinite(l)) {
                    lo[k] = Math.min(lo[k], l);
                }
                if (Double.isFinite(h)) {
                    hi[k] = Math.max(hi[k], h);
                }
            }
        }
        double lx = lo[0];
        double hx = hi[0];
        double ly = lo[1];
        double hy = hi[1];
        double pad = 0.08 * Math.max(hx - lx, hy - ly) + 1e-6;
        // A square view so circles look round.
        double cx = (lx + hx) / 2;
        double cy = (ly + hy) / 2;
        double half = Math.max(hx - lx, hy - ly) / 2 + pad;
        return new double[] {cx - half, cx + half, cy - half, cy + half};
    }
}
