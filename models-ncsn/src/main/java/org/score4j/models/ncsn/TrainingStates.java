package org.score4j.models.ncsn;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A model's training state as one flat float vector: its arrays one after the other, each flattened in C order. */
final class TrainingStates {
    private TrainingStates() {
    }

    /** The arrays joined into a new flat vector. */
    static INDArray join(INDArray... parts) {
        return Nd4j.concat(0, Arrays.stream(parts).map(a -> a.reshape(a.length())).toArray(INDArray[]::new))
                .castTo(DataType.FLOAT);
    }

    /**
     * Copies {@code flat} back into the arrays, in place (the model's layers and optimizer work on them).
     *
     * @throws IllegalArgumentException if {@code flat} does not hold exactly their values
     */
    static void split(INDArray flat, String model, INDArray... parts) {
        long expected = Arrays.stream(parts).mapToLong(INDArray::length).sum();
        if (flat.length() != expected) {
            throw new IllegalArgumentException(model + "'s training state has " + expected + " values, got " + flat.length());
        }
        INDArray f = flat.reshape(flat.length()).castTo(DataType.FLOAT);
        long at = 0;
        for (INDArray part : parts) {
            part.assign(f.get(NDArrayIndex.interval(at, at + part.length())).reshape(part.shape()));
            at += part.length();
        }
    }
}
