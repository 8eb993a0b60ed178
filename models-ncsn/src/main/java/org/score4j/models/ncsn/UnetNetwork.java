package org.score4j.models.ncsn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The U-Net of {@link NcsnUnet} as a function of a flat parameter vector laid out by {@link UnetParameters}: its
 * output, and the vector–Jacobian products of the output with respect to the parameters and to the input. Two
 * implementations compute the same network: {@link DirectUnet} on the CPU backend with the vector API,
 * {@link UnetGraph} (SameDiff) anywhere.
 */
interface UnetNetwork {
    /** The fastest implementation this JVM and backend can run, for σ features of {@code features} values. */
    static UnetNetwork best(UnetArchitecture architecture, long[] exampleShape, int features) {
        return DirectUnet.usable() ? new DirectUnet(architecture, exampleShape, features)
                : new UnetGraph(architecture, exampleShape, features);
    }

    /** Makes a network for images of {@code exampleShape} and σ features of {@code features} values. */
    @FunctionalInterface
    interface Factory {
        UnetNetwork create(UnetArchitecture architecture, long[] exampleShape, int features);
    }

    /** The parameters' order, shapes and initialisation. */
    UnetParameters parameters();

    /** Floating-point operations of the convolutions and dense layers per example, two per multiply–add. */
    default long forwardFlops() {
        return parameters().forwardFlops();
    }

    /**
     * Makes {@code flat} (dense float, [size]) the parameters of the next calls; the network reads the array itself
     * until the next load, so call it again whenever the array's values change.
     */
    void load(INDArray flat);

    /**
     * The network output [N, C, H, W] for scaled inputs {@code x} [N, C, H, W] and σ features [N, features] (ignored
     * without σ conditioning).
     */
    INDArray output(INDArray x, INDArray sigmaFeatures);

    /**
     * Writes the flat parameter gradient of Σ out ⊙ g, g of the output's shape, into {@code into} (dense float
     * [size], every value overwritten). An implementation may reuse the forward pass of the last {@link #output} call
     * with the same {@code x} and {@code sigmaFeatures} arrays (the same objects, and no {@link #load} since), so
     * callers must not change those arrays in between.
     */
    void gradient(INDArray x, INDArray sigmaFeatures, INDArray g, INDArray into);

    /**
     * ∂(Σ out ⊙ g)/∂x, a new float array [N, C, H, W]; may reuse the last forward pass as {@link #gradient} does.
     */
    INDArray inputGradient(INDArray x, INDArray sigmaFeatures, INDArray g);
}
