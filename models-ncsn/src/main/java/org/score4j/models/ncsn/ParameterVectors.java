package org.score4j.models.ncsn;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.nn.cpu.FusedKernels;
import org.score4j.nn.NativeArrays;

/** Checks of the flat parameter vectors the models keep and are given. */
final class ParameterVectors {
    /**
     * The most parameters a model keeps: the fused passes (the layers' and the runner's optimizer steps) address a flat
     * float vector as one byte buffer, which holds at most 2 GiB.
     */
    static final long MAX_PARAMETERS = Integer.MAX_VALUE / Float.BYTES;

    private ParameterVectors() {
    }

    /** @throws IllegalArgumentException if {@code parameters} (counted in double) exceed {@link #MAX_PARAMETERS} */
    static void checkCount(double parameters, String model) {
        if (!(parameters <= MAX_PARAMETERS)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s with these settings has %.4g parameters; at most %d fit its flat parameter vector", model,
                    parameters, MAX_PARAMETERS));
        }
    }

    /**
     * {@code flat} as a dense float [P] array: itself (a view) where it already is one, else a float copy.
     *
     * @param what what the array is, for the message
     * @throws IllegalArgumentException if it does not hold P values
     */
    static INDArray floats(INDArray flat, long size, String model, String what) {
        java.util.Objects.requireNonNull(flat, what);
        if (flat.length() != size) {
            throw new IllegalArgumentException(model + " has " + size + " parameters, got " + what + " of "
                    + flat.length() + " values " + java.util.Arrays.toString(flat.shape()));
        }
        return isDense(flat) ? flat.reshape(size) : flat.castTo(DataType.FLOAT).dup('c').reshape(size);
    }

    /**
     * Copies {@code flat} (P values, any type and layout) into {@code theta} (dense float [P]): one memory copy where
     * both are dense floats in host memory, as the runner sets the parameters before every step.
     *
     * @throws IllegalArgumentException if {@code flat} does not hold P values
     */
    static void copy(INDArray flat, INDArray theta, String model) {
        java.util.Objects.requireNonNull(flat, "parameters");
        if (flat.length() == theta.length() && isDense(flat) && FusedKernels.available()) {
            Pointer.memcpy(NativeArrays.pointer(theta), NativeArrays.pointer(flat), (long) Float.BYTES * theta.length());
            return;
        }
        theta.assign(floats(flat, theta.length(), model, "parameters"));
    }

    /** Whether the array is float and one contiguous block in C order, so its memory can be written directly. */
    static boolean isDense(INDArray a) {
        return a.dataType() == DataType.FLOAT && (a.length() == 1 || a.elementWiseStride() == 1)
                && (a.rank() <= 1 || a.isVector() || a.ordering() == 'c');
    }
}
