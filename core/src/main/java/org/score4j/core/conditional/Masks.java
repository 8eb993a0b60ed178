package org.score4j.core.conditional;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;

/**
 * Which pixels of an image are observed when inpainting: 1 observed, 0 to fill, {@code [n, C, H, W]}.
 *
 * <ul>
 *   <li>{@code half}: the right half is filled (NCSN's Figure 6 hides a half);</li>
 *   <li>{@code box}: a centred square of {@code fraction} of the area is filled;</li>
 *   <li>{@code random}: each pixel (all channels together) is filled with probability {@code fraction}.</li>
 * </ul>
 */
public final class Masks {
    /** The kinds of mask. */
    public static final List<String> KINDS = List.of("half", "box", "random");

    private Masks() {
    }

    /**
     * @param kind     one of {@link #KINDS}
     * @param fraction the share of the image filled, in (0, 1) (ignored by {@code half})
     * @throws IllegalArgumentException for an unknown kind or a fraction outside (0, 1)
     */
    public static INDArray of(String kind, long[] shape, double fraction, long seed) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown mask '" + kind + "'; known: " + String.join(", ", KINDS));
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the filled fraction must be in (0, 1), got " + fraction);
        }
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        float[] m = new float[n * c * h * w];
        SplittableRandom random = new SplittableRandom(seed);
        int side = (int) Math.round(Math.sqrt(fraction * h * w));
        int top = (h - side) / 2;
        int left = (w - side) / 2;
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean filled = switch (kind.toLowerCase(Locale.ROOT)) {
                        case "half" -> x >= w / 2;
                        case "box" -> y >= top && y < top + side && x >= left && x < left + side;
                        default -> random.nextDouble() < fraction;
                    };
                    for (int ch = 0; ch < c; ch++) {
                        m[((i * c + ch) * h + y) * w + x] = filled ? 0f : 1f;
                    }
                }
            }
        }
        return Tensors.array(m, DataType.FLOAT, shape);
    }

    /** The mask of a batch whose missing values are NaN: 1 where a value is given, 0 where it is NaN. */
    public static INDArray given(INDArray values) {
        float[] v = Tensors.floats(values);
        float[] m = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            m[i] = Float.isNaN(v[i]) ? 0f : 1f;
        }
        return Tensors.array(m, DataType.FLOAT, values.shape());
    }
}
