package org.score4j.models.ncsn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        double[] s = sigma.toDoubleVector();
        int w = width(embedding);
        float[] out = new float[s.length * w];
        for (int i = 0; i < s.length; i++) {
            write(s[i], dataScale, embedding, out, i * w);
        }
        return Nd4j.create(out, new long[] {s.length, w}, 'c');
    }

    /** √(σ² + s²) as a float column [N, 1]: dividing by it gives inputs of unit scale at every level. */
    static INDArray inputScale(INDArray sigma, double dataScale) {
        double[] s = sigma.toDoubleVector();
        float[] out = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (float) (1 / inputFactor(s[i], dataScale));
        }
        return Nd4j.create(out, new long[] {s.length, 1}, 'c').castTo(DataType.FLOAT);
    }
}
