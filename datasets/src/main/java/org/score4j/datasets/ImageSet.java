package org.score4j.datasets;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.score4j.api.Dataset;
import org.score4j.api.FiniteDataset;
import org.score4j.api.LabelledDataset;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.RandomSource;

/**
 * A finite set of 8-bit images, {@code [C, H, W]}, drawn with replacement. A pixel value p ∈ {0, …, 255} becomes
 * (p + u)/256 with u uniform on [0, 1) drawn afresh for every pixel of every draw (uniform dequantisation, so
 * the data has a density on [0, 1]); without dequantisation it is p/255.
 */
public class ImageSet implements FiniteDataset, org.score4j.api.QuantizedDataset {
    private final byte[][] images;
    private final int[] labels;
    private final int classes;
    private final long[] shape;
    private final boolean dequantize;
    private final String fingerprint;
    private final ImageSet heldOut;

    /**
     * An image set, labelled (a {@link LabelledDataset}) when {@code labels} is not null.
     *
     * @param images      one array of C·H·W pixels (channel-major) per image
     * @param labels      one label per image, or null
     * @param fingerprint a hash of the content and the settings
     */
    public static ImageSet of(byte[][] images, int[] labels, int channels, int height, int width, boolean dequantize,
                              String fingerprint) {
        return labels == null ? new ImageSet(images, null, channels, height, width, dequantize, fingerprint, null)
                : new Labelled(images, labels, channels, height, width, dequantize, fingerprint, null);
    }

    ImageSet(byte[][] images, int[] labels, int channels, int height, int width, boolean dequantize,
                     String fingerprint, ImageSet heldOut) {
        this.images = Objects.requireNonNull(images, "images");
        if (images.length == 0) {
            throw new IllegalArgumentException("an image set needs at least one image");
        }
        if (labels != null && labels.length != images.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + images.length + " images");
        }
        this.labels = labels;
        int max = -1;
        if (labels != null) {
            for (int l : labels) {
                max = Math.max(max, l);
            }
        }
        this.classes = max + 1;
        this.shape = new long[] {channels, height, width};
        this.dequantize = dequantize;
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.heldOut = heldOut;
    }

    /**
     * This set with {@code heldOut} as its held-out examples, which must have the same shape; the fingerprint
     * covers both.
     */
    public ImageSet withHeldOut(ImageSet heldOut) {
        Objects.requireNonNull(heldOut, "heldOut");
        if (!java.util.Arrays.equals(heldOut.shape, shape)) {
            throw new IllegalArgumentException("the held-out images are " + java.util.Arrays.toString(heldOut.shape)
                    + " but the training images " + java.util.Arrays.toString(shape));
        }
        String both = org.score4j.api.spi.Fingerprint.sha256(fingerprint + " held-out " + heldOut.fingerprint);
        return labels == null ? new ImageSet(images, null, (int) shape[0], (int) shape[1], (int) shape[2], dequantize,
                both, heldOut) : new Labelled(images, labels, (int) shape[0], (int) shape[1], (int) shape[2], dequantize,
                both, heldOut);
    }

    @Override
    public java.util.Optional<Dataset> heldOut() {
        return java.util.Optional.ofNullable(heldOut);
    }

    /** 8-bit pixels: 256 levels. */
    @Override
    public int levels() {
        return 256;
    }

    @Override
    public boolean dequantized() {
        return dequantize;
    }

    /** The number of images. */
    @Override
    public int size() {
        return images.length;
    }

    @Override
    public INDArray examples(int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, images.length);
        int d = images[0].length;
        float[] out = new float[(to - from) * d];
        for (int i = from; i < to; i++) {
            byte[] img = images[i];
            for (int k = 0; k < d; k++) {
                out[(i - from) * d + k] = (img[k] & 0xff) / 255f;
            }
        }
        return Tensors.array(out, DataType.FLOAT, to - from, shape[0], shape[1], shape[2]);
    }

    /** Image i as values in [0, 1] (p/255), {@code [C, H, W]}: for nearest-neighbour checks and grids. */
    public float[] pixels(int i) {
        byte[] b = images[i];
        float[] out = new float[b.length];
        for (int k = 0; k < b.length; k++) {
            out[k] = (b[k] & 0xff) / 255f;
        }
        return out;
    }

    /** The label of image i, or -1 when the set has none. */
    public int label(int i) {
        return labels == null ? -1 : labels[i];
    }

    @Override
    public long[] exampleShape() {
        return shape.clone();
    }

    @Override
    public INDArray sample(int n, RandomSource rng) {
        return drawImages(n, rng, rng.integers(n, images.length));
    }

    /** An image set whose images carry labels. */
    private static final class Labelled extends ImageSet implements LabelledDataset {
        Labelled(byte[][] images, int[] labels, int channels, int height, int width, boolean dequantize,
                 String fingerprint, ImageSet heldOut) {
            super(images, labels, channels, height, width, dequantize, fingerprint, heldOut);
        }

        @Override
        public int classes() {
            return classesSeen();
        }

        @Override
        public Dataset.Labelled sampleLabelled(int n, RandomSource rng) {
            int[] index = rng.integers(n, size());
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                l[i] = label(index[i]);
            }
            return new Dataset.Labelled(drawImages(n, rng, index), l);
        }
    }

    /** One more than the largest label (0 without labels). */
    int classesSeen() {
        return classes;
    }

    INDArray drawImages(int n, RandomSource rng, int[] index) {
        int d = images[0].length;
        float[] out = new float[n * d];
        float[] u = dequantize ? rng.uniformValues(0, 1, n, d) : null;
        for (int i = 0; i < n; i++) {
            byte[] img = images[index[i]];
            for (int k = 0; k < d; k++) {
                int p = img[k] & 0xff;
                out[i * d + k] = dequantize ? (p + u[i * d + k]) / 256f : p / 255f;
            }
        }
        long[] full = new long[] {n, shape[0], shape[1], shape[2]};
        return Tensors.array(out, DataType.FLOAT, full);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return images.length + " images " + shape[0] + "×" + shape[1] + "×" + shape[2]
                + (labels == null ? "" : " in " + classes + " classes");
    }
}
