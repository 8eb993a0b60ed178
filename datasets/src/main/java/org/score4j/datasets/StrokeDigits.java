package org.score4j.datasets;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.SplittableRandom;
import org.score4j.api.spi.Fingerprint;

/**
 * Handwriting-like digits drawn procedurally, so image models run with nothing to download: each digit 0–9 is a
 * few pen strokes (lines and Bézier curves) drawn white on black with a random slant, rotation, width, height,
 * position and pen width, anti-aliased, in the MNIST layout (a 20-pixel box centred in 28). A fixed pool of images
 * drawn from {@code poolSeed} is the training set, so nearest-neighbour checks have a set to compare with.
 */
public final class StrokeDigits {
    /** The strokes of each digit in a unit box, y pointing down. */
    private static final List<List<Shape>> DIGITS = List.of(
            List.of(new Ellipse2D.Double(0.2, 0.05, 0.6, 0.9)),
            List.of(new Line2D.Double(0.5, 0.05, 0.5, 0.95), new Line2D.Double(0.3, 0.25, 0.5, 0.05)),
            List.of(path(0.2, 0.28, c(0.2, 0.0, 0.8, 0.0, 0.8, 0.3), c(0.8, 0.5, 0.4, 0.7, 0.2, 0.95), l(0.82, 0.95))),
            List.of(path(0.2, 0.12, c(0.5, -0.05, 0.85, 0.1, 0.75, 0.3), c(0.7, 0.45, 0.5, 0.48, 0.4, 0.48)),
                    path(0.4, 0.48, c(0.9, 0.45, 0.9, 0.95, 0.5, 0.95), c(0.35, 0.95, 0.25, 0.9, 0.18, 0.82))),
            List.of(path(0.65, 0.95, l(0.65, 0.05), l(0.15, 0.68), l(0.85, 0.68))),
            List.of(path(0.78, 0.05, l(0.28, 0.05), l(0.24, 0.45), c(0.55, 0.32, 0.85, 0.5, 0.8, 0.7),
                    c(0.75, 0.98, 0.35, 1.0, 0.2, 0.85))),
            List.of(path(0.72, 0.08, c(0.4, 0.0, 0.2, 0.35, 0.2, 0.7)), new Ellipse2D.Double(0.2, 0.45, 0.6, 0.5)),
            List.of(path(0.18, 0.05, l(0.82, 0.05), l(0.4, 0.95))),
            List.of(new Ellipse2D.Double(0.25, 0.05, 0.5, 0.42), new Ellipse2D.Double(0.2, 0.47, 0.6, 0.48)),
            List.of(new Ellipse2D.Double(0.2, 0.05, 0.6, 0.5), path(0.8, 0.3, c(0.8, 0.6, 0.75, 0.8, 0.6, 0.95))));

    private StrokeDigits() {
    }

    /**
     * {@code count} digits of {@code size}×{@code size} pixels, labelled 0–9, drawn from {@code poolSeed}, with
     * {@code heldOut} more drawn from a stream of their own as the held-out set (none if 0).
     */
    public static ImageSet create(int count, int size, long poolSeed, boolean dequantize, int heldOut) {
        ImageSet pool = create(count, size, poolSeed, dequantize);
        return heldOut == 0 ? pool : pool.withHeldOut(create(heldOut, size, poolSeed ^ HELD_OUT_STREAM, dequantize));
    }

    private static final long HELD_OUT_STREAM = 0x6a09e667f3bcc909L;

    /** {@code count} digits of {@code size}×{@code size} pixels, labelled 0–9, drawn from {@code poolSeed}. */
    public static ImageSet create(int count, int size, long poolSeed, boolean dequantize) {
        SplittableRandom rng = new SplittableRandom(poolSeed);
        byte[][] pixels = new byte[count][];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = rng.nextInt(10);
            pixels[i] = draw(labels[i], size, rng);
        }
        String fingerprint = Fingerprint.sha256("stroke-digits/1 count=" + count + " size=" + size + " pool-seed=" + poolSeed
                + " dequantize=" + dequantize);
        return ImageSet.of(pixels, labels, 1, size, size, dequantize, fingerprint);
    }

    /** One digit with a random pose, as {@code size}² grey bytes. */
    static byte[] draw(int digit, int size, SplittableRandom rng) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, size, size);
        double unit = size / 28.0;
        double box = 20 * unit * (0.8 + 0.25 * rng.nextDouble());
        AffineTransform t = new AffineTransform();
        t.translate(size / 2.0 + (rng.nextDouble() - 0.5) * 3 * unit, size / 2.0 + (rng.nextDouble() - 0.5) * 3 * unit);
        t.rotate((rng.nextDouble() - 0.5) * 0.5);
        t.shear((rng.nextDouble() - 0.5) * 0.6, 0);
        t.scale(box * (0.8 + 0.4 * rng.nextDouble()), box);
        t.translate(-0.5, -0.5);
        float pen = (float) ((1.6 + 1.4 * rng.nextDouble()) * unit);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(pen, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (Shape stroke : DIGITS.get(digit)) {
            g.draw(t.createTransformedShape(stroke));
        }
        g.dispose();
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData().clone();
    }

    private interface Segment {
        void addTo(Path2D p);
    }

    private static Segment c(double x1, double y1, double x2, double y2, double x3, double y3) {
        return p -> p.curveTo(x1, y1, x2, y2, x3, y3);
    }

    private static Segment l(double x, double y) {
        return p -> p.lineTo(x, y);
    }

    private static Shape path(double x, double y, Segment... segments) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x, y);
        for (Segment s : segments) {
            s.addTo(p);
        }
        return p;
    }
}
