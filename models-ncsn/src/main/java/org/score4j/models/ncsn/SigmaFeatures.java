package org.score4j.models.ncsn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.tensors.Tensors;

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

    /** Number of features for {@code embedding} Fourier features and the label slots of {@code classes} classes. */
    static int width(int embedding, int classes) {
        return Math.toIntExact(width(embedding) + ClassLabels.slots(classes));
    }

    /**
     * The features of each level, then the one-hot of each row's label for a conditional model (see
     * {@link ClassLabels}).
     *
     * @param sigma  [N] noise levels
     * @param labels checked labels, or null (all unconditional)
     * @return [N, {@link #width(int, int)}] float features
     */
    static INDArray of(INDArray sigma, double dataScale, int embedding, int[] labels, int classes) {
        double[] s = Tensors.doubles(sigma);
        int w = width(embedding, classes);
        float[] out = new float[s.length * w];
        writeRows(s, dataScale, embedding, out, w, 0);
        ClassLabels.writeOneHot(labels, s.length, classes, out, w, width(embedding));
        return Tensors.array(out, DataType.FLOAT, s.length, w);
    }

    /**
     * Writes the features of σ_i into out[i·stride + offset …] for each i, computing them once per distinct level: a
     * batch draws its levels from a short schedule, and the logarithm and sines of every row cost as much as a
     * layer's matrix product.
     */
    static void writeRows(double[] sigmas, double dataScale, int embedding, float[] out, int stride, int offset) {
        int w = width(embedding);
        FirstRows first = new FirstRows(Math.min(sigmas.length, DISTINCT));
        for (int i = 0; i < sigmas.length; i++) {
            int to = i * stride + offset;
            int seen = i > 0 && sigmas[i] == sigmas[i - 1] ? i - 1 : first.get(sigmas[i]);
            if (seen >= 0) {
                System.arraycopy(out, seen * stride + offset, out, to, w);
                continue;
            }
            write(sigmas[i], dataScale, embedding, out, to);
            first.add(sigmas[i], i);
        }
    }

    /** Levels remembered per batch by {@link #writeRows}; beyond them features are computed row by row. */
    private static final int DISTINCT = 1024;

    /**
     * The first row of each level seen, for up to a fixed number of levels: open addressing on the level's bits in a
     * table at most half full (a boxed map cost as much as the features it saved).
     */
    private static final class FirstRows {
        private final long[] levels;
        /** Row + 1, 0 for an empty slot. */
        private final int[] rows;
        private final int limit;
        private final int shift;
        private int size;

        FirstRows(int limit) {
            int capacity = Integer.highestOneBit(Math.max(1, limit)) * 4;
            this.levels = new long[capacity];
            this.rows = new int[capacity];
            this.limit = limit;
            this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
        }

        /** The first row of {@code level}, or −1. */
        int get(double level) {
            long bits = Double.doubleToLongBits(level);
            for (int slot = slot(bits); rows[slot] != 0; slot = (slot + 1) & (rows.length - 1)) {
                if (levels[slot] == bits) {
                    return rows[slot] - 1;
                }
            }
            return -1;
        }

        /** Remembers {@code row} for a level not seen before, while there is room. */
        void add(double level, int row) {
            if (size == limit) {
                return;
            }
            long bits = Double.doubleToLongBits(level);
            int slot = slot(bits);
            while (rows[slot] != 0) {
                slot = (slot + 1) & (rows.length - 1);
            }
            levels[slot] = bits;
            rows[slot] = row + 1;
            size++;
        }

        private int slot(long bits) {
            return (int) ((bits * 0x9E3779B97F4A7C15L) >>> shift);
        }
    }

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
