package org.score4j.models.ncsn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The U-Net of {@link NcsnUnet} as a function of a flat parameter vector laid out by {@link UnetParameters}: its
 * output and the vector–Jacobian product of the output with respect to the parameters. Two implementations compute
 * the same network: {@link DirectUnet} on the CPU backend with the vector API, {@link UnetGraph} (SameDiff) anywhere.
 */
interface UnetNetwork {
    /** The fastest implementation this JVM and backend can run. */
    static UnetNetwork best(UnetArchitecture architecture, long[] exampleShape) {
        return DirectUnet.usable() ? new DirectUnet(architecture, exampleShape) : new UnetGraph(architecture, exampleShape);
    }

    /** The parameters' order, shapes and initialisation. */
    UnetParameters parameters();

    /** Floating-point operations of the convolutions and dense layers per example, two per multiply–add. */
    default long forwardFlops() {
        return parameters().forwardFlops();
    }

    /** Makes {@code flat} (float, [size]) the parameters of the next calls; the array may be read until then. */
    void load(INDArray flat);

    /** The network output [N, C, H, W] for scaled inputs {@code x} [N, C, H, W] and σ features [N, 1 + embedding]. */
    INDArray output(INDArray x, INDArray sigmaFeatures);

    /**
     * The flat parameter gradient of Σ out ⊙ g, g of the output's shape. An implementation may reuse the forward pass
     * of the last {@link #output} call with the same {@code x} and {@code sigmaFeatures} arrays (the same objects, and
     * no {@link #load} since), so callers must not change those arrays in between. The result may be an array of the
     * network's that the next call overwrites.
     */
    INDArray gradient(INDArray x, INDArray sigmaFeatures, INDArray g);
}
