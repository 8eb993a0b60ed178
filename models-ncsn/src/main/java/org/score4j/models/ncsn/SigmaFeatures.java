package org.score4j.models.ncsn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.Tensors;

/**
 * The noise-level inputs the NCSN models share: features of log σ and the input scale √(σ² + s²). Computed per
 * example on the JVM: a batch holds few distinct levels and a handful of values each, far cheaper than a dozen
 * native operations.
 */
final class SigmaFeatures {
    private SigmaFeatures() {
    }

    /** Number of features for {@code embedding} Fourier features. */
    static int width(int embedding) {
        return 1 + embedding;
    }

    /** Writes c = ln(σ/s)/4, then sin(kπc), cos(kπc) for k = 1..embedding/2, into {@code out} from {@code at}. */
    static void write(double sigma, double dataScale, int embedding, float[] out, int at) {
        double c = Math.log(sigma / dataScale) / 4;
        out[at] = (float) c;
        for (int k = 1; k <= embedding / 2; k++) {
            out[at + 2 * k - 1] = (float) Math.sin(Math.PI * k * c);
            out[at + 2 * k] = (float) Math.cos(Math.PI * k * c);
        }
    }

    /** 1/√(σ² + s²): multiplying by it gives inputs of unit scale at every level. */
    static double inputFactor(double sigma, double dataScale) {
        return 1 / Math.sqrt(sigma * sigma + dataScale * dataScale);
    }

    /**
     * The features of each level.
     *
     * @param sigma [N] noise levels
     * @return [N, 1 + embedding] float features
     */
    static INDArray of(INDArray sigma, double dataScale, int embedding) {
        double[] s = Tensors.doubles(sigma);
        int w = width(embedding);
        float[] out = new float[s.length * w];
        writeRows(s, dataScale, embedding, out, w, 0);
        return Tensors.array(out, DataType.FLOAT, s.length, w);
    }

    /**
     * Writes the features of σ_i into out[i·stride + offset …] for each i, computing them once per distinct level: a
     * batch draws its levels from a short schedule, and the logarithm and sines of every row cost as much as a
     * layer's matrix product.
     */
    static void writeRows(double[] sigmas, double dataScale, int embedding, float[] out, int stride, int offset) {
        int w = width(embedding);
        java.util.Map<Long, Integer> first = new java.util.HashMap<>();
        for (int i = 0; i < sigmas.length; i++) {
            int to = i * stride + offset;
            Integer seen = i > 0 && sigmas[i] == sigmas[i - 1] ? Integer.valueOf(i - 1)
                    : first.get(Double.doubleToLongBits(sigmas[i]));
            if (seen != null) {
                System.arraycopy(out, seen * stride + offset, out, to, w);
                continue;
            }
            write(sigmas[i], dataScale, embedding, out, to);
            if (first.size() < DISTINCT) {
                first.put(Double.doubleToLongBits(sigmas[i]), i);
            }
        }
    }

    /** Levels remembered per batch by {@link #writeRows}; beyond them features are computed row by row. */
    private static final int DISTINCT = 1024;

    /** √(σ² + s²) as a float column [N, 1]: dividing by it gives inputs of unit scale at every level. */
    static INDArray inputScale(INDArray sigma, double dataScale) {
        double[] s = Tensors.doubles(sigma);
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (1 / inputFactor(s[i], dataScale));
        }
        return Tensors.array(out, DataType.FLOAT, s.length, 1);
    }
}
