package org.score4j.nn.layers;

import java.util.List;
import java.util.Objects;
import org.score4j.nn.Gradients;
import org.score4j.nn.Layer;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.ParameterLayout.Init;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.cpu.PlanarKernels;

/**
 * Group normalisation (Wu &amp; He 2018): the channels are split into G groups of C/G; within each image and group,
 * x̂ = (x − μ)/√(σ² + ε) with the mean μ and the (biased) variance σ² over the group's channels and positions, and
 * y = γ_c·x̂ + β_c. ε = {@value #EPSILON}, as PyTorch's {@code GroupNorm}. Parameters: γ [C] (initially 1) and β [C]
 * (initially 0).
 *
 * <p>Maps in any layout (x, y, dy and dx in the same one). Each pass is two vector-API passes over the maps
 * ({@link PlanarKernels}) split over score4j's threads: forward, the per-channel moments about each channel's first
 * value (no cancellation where the mean is large against the spread) and the affine map y = a·x + c with a and c per
 * image and channel; backward, the per-channel sums of dy and dy·x and the affine map dx = a·dy + b·x + c. Sums are
 * accumulated in double. The activations keep a reference to x and each image's group
 * means and inverse deviations (2·G floats per example). dx may be dy (in place), not x.
 */
public final class GroupNorm implements Layer<GroupNorm.Activations> {
    /** ε added to the variance, as PyTorch's {@code GroupNorm}. */
    public static final double EPSILON = 1e-5;

    /** γ [C] and β [C]. */
    public record Parts(ParameterLayout.Part scale, ParameterLayout.Part shift) {
    }

    private final Parts parts;
    private final int channels;
    private final int groups;

    /** Declares γ (one) and β (zero), [channels] each, in {@code layout}, named {@code name.gamma} and {@code name.beta}. */
    public static Parts declare(ParameterLayout layout, String name, int channels) {
        return new Parts(layout.add(name + ".gamma", Init.ONE, 0, channels), layout.add(name + ".beta", Init.ZERO, 0,
                channels));
    }

    /**
     * @throws IllegalArgumentException if {@code groups} does not divide {@code channels} or the parts do not hold
     *                                  {@code channels} values each
     */
    public GroupNorm(Parts parts, int channels, int groups) {
        this.parts = Objects.requireNonNull(parts, "parts");
        if (channels < 1 || groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException("group norm needs groups dividing the channels, got " + groups
                    + " groups of " + channels + " channels");
        }
        if (parts.scale().length() != channels || parts.shift().length() != channels) {
            throw new IllegalArgumentException("parts " + parts + " do not fit " + channels + " channels");
        }
        this.channels = channels;
        this.groups = groups;
    }

    @Override
    public List<ParameterLayout.Part> parameters() {
        return List.of(parts.scale(), parts.shift());
    }

    @Override
    public Activations activations(int batch) {
        return new Activations(batch, groups);
    }

    @Override
    public void forward(Weights weights, Planes x, Planes y, Activations saved) {
        check(x);
        int n = x.batch();
        int perGroup = channels / groups;
        int plane = x.geometry().plane();
        double size = (double) perGroup * plane;
        // Moments about each channel's first value, k: Σ(x − k) and Σ(x − k)², in one pass.
        float[] k = new float[n * channels];
        for (int image = 0; image < n; image++) {
            for (int c = 0; c < channels; c++) {
                k[image * channels + c] = x.floats().get(x.index(image, 0, c));
            }
        }
        double[] sums = new double[n * channels];
        double[] squares = new double[n * channels];
        FusedKernels.inParts(x.chunks(), x.chunkLength(),
                (from, to) -> PlanarKernels.shiftedMoments(x, k, sums, squares, from, to));
        float[] gamma = weights.get(parts.scale());
        float[] beta = weights.get(parts.shift());
        float[] a = new float[n * channels];
        float[] shift = new float[n * channels];
        for (int image = 0; image < n; image++) {
            for (int g = 0; g < groups; g++) {
                int first = image * channels + g * perGroup;
                double s = 0;
                for (int i = first; i < first + perGroup; i++) {
                    s += sums[i] + (double) plane * k[i];
                }
                float m = (float) (s / size);
                // Σ(x − m)² = Σ over channels of Σ(x − k)² + 2(k − m)·Σ(x − k) + P·(k − m)².
                double spread = 0;
                for (int i = first; i < first + perGroup; i++) {
                    double offset = (double) k[i] - m;
                    spread += squares[i] + 2 * offset * sums[i] + plane * offset * offset;
                }
                double r = 1 / Math.sqrt(Math.max(0, spread) / size + EPSILON);
                saved.mean[image * groups + g] = m;
                saved.rstd[image * groups + g] = (float) r;
                for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
                    double scale = gamma[c] * r;
                    a[image * channels + c] = (float) scale;
                    shift[image * channels + c] = (float) (beta[c] - m * scale);
                }
            }
        }
        FusedKernels.inParts(x.chunks(), x.chunkLength(),
                (from, to) -> PlanarKernels.affine(x, a, null, null, shift, y, from, to));
        saved.x = x;
    }

    /**
     * {@inheritDoc} With A = Σ γ·dy and B = Σ γ·dy·x̂ over a group (M values), dx = r·(γ·dy − A/M − x̂·B/M) for the
     * group's inverse deviation r, computed as a·dy + b·x + c.
     */
    @Override
    public void backward(Weights weights, Activations saved, Planes dy, Planes dx, Gradients gradients) {
        Planes x = saved.x;
        int n = x.batch();
        int perGroup = channels / groups;
        double size = (double) perGroup * x.geometry().plane();
        double[] dySums = new double[n * channels];
        double[] dyx = new double[n * channels];
        FusedKernels.inParts(dy.chunks(), dy.chunkLength(),
                (from, to) -> PlanarKernels.imageSumsAndDots(dy, x, dySums, dyx, from, to));
        float[] gamma = weights.get(parts.scale());
        // Σ over positions of dy·x̂ per image and channel: r·(Σ dy·x − μ·Σ dy).
        double[] dyHat = new double[n * channels];
        for (int image = 0; image < n; image++) {
            for (int c = 0; c < channels; c++) {
                int g = image * groups + c / perGroup;
                int i = image * channels + c;
                dyHat[i] = saved.rstd[g] * (dyx[i] - saved.mean[g] * dySums[i]);
            }
        }
        if (gradients != null) {
            double[] dGamma = new double[channels];
            double[] dBeta = new double[channels];
            for (int image = 0; image < n; image++) {
                for (int c = 0; c < channels; c++) {
                    dGamma[c] += dyHat[image * channels + c];
                    dBeta[c] += dySums[image * channels + c];
                }
            }
            gradients.add(parts.scale().offset(), dGamma);
            gradients.add(parts.shift().offset(), dBeta);
        }
        if (dx == null) {
            return;
        }
        float[] a = new float[n * channels];
        float[] b = new float[n * channels];
        float[] c0 = new float[n * channels];
        for (int image = 0; image < n; image++) {
            for (int g = 0; g < groups; g++) {
                double sumA = 0;
                double sumB = 0;
                for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
                    sumA += gamma[c] * dySums[image * channels + c];
                    sumB += gamma[c] * dyHat[image * channels + c];
                }
                double r = saved.rstd[image * groups + g];
                double m = saved.mean[image * groups + g];
                double slope = -r * r * sumB / size;
                double offset = r * r * sumB * m / size - r * sumA / size;
                for (int c = g * perGroup; c < (g + 1) * perGroup; c++) {
                    a[image * channels + c] = (float) (r * gamma[c]);
                    b[image * channels + c] = (float) slope;
                    c0[image * channels + c] = (float) offset;
                }
            }
        }
        FusedKernels.inParts(dy.chunks(), dy.chunkLength(),
                (from, to) -> PlanarKernels.affine(dy, a, x, b, c0, dx, from, to));
    }

    /** {@inheritDoc} Each image's group means and inverse deviations. */
    @Override
    public double activationsPerExample() {
        return 2.0 * groups;
    }

    private void check(Planes x) {
        if (x.channels() != channels) {
            throw new IllegalArgumentException("group norm of " + channels + " channels given " + x.channels());
        }
    }

    /** The last pass's x, and per image and group its mean and 1/√(σ² + ε), [N·G] each. */
    public static final class Activations implements Layer.Activations {
        private final int batch;
        private final float[] mean;
        private final float[] rstd;
        private Planes x;

        private Activations(int batch, int groups) {
            this.batch = batch;
            this.mean = new float[batch * groups];
            this.rstd = new float[batch * groups];
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public long floats() {
            return mean.length + rstd.length;
        }

        @Override
        public void release() {
            x = null;
        }
    }
}
