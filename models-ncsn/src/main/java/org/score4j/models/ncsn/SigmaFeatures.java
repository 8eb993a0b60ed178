package org.score4j.models.ncsn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The noise-level inputs the NCSN models share: features of log σ and the input scale √(σ² + s²). */
final class SigmaFeatures {
    private SigmaFeatures() {
    }

    /**
     * c = ln(σ/s)/4 followed by sin(kπc), cos(kπc) for k = 1..embedding/2.
     *
     * @param sigma [N] noise levels
     * @return [N, 1 + embedding] float features
     */
    static INDArray of(INDArray sigma, double dataScale, int embedding) {
        INDArray s = sigma.castTo(DataType.FLOAT).reshape(sigma.length(), 1);
        INDArray c = Transforms.log(s.div(dataScale)).divi(4);
        int k = embedding / 2;
        INDArray[] parts = new INDArray[1 + 2 * k];
        parts[0] = c;
        for (int j = 1; j <= k; j++) {
            INDArray angle = c.mul(Math.PI * j);
            parts[2 * j - 1] = Transforms.sin(angle);
            parts[2 * j] = Transforms.cos(angle);
        }
        return k == 0 ? c : Nd4j.hstack(parts);
    }

    /** √(σ² + s²) as a float column [N, 1]: dividing by it gives inputs of unit scale at every level. */
    static INDArray inputScale(INDArray sigma, double dataScale) {
        INDArray s = sigma.castTo(DataType.FLOAT).reshape(sigma.length(), 1);
        return Transforms.sqrt(s.mul(s).addi(dataScale * dataScale));
    }
}
