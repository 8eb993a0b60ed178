package org.score4j.models.ncsn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fresh parameters of a stack of dense layers: the Xavier weights and zero biases a DL4J network of the same layers
 * draws for a seed, in its layout (per layer: W as [in, out] in Fortran order, then b). The network is built once for
 * its draw and dropped, so that ncsn-mlp starts from the parameters it always has for a seed.
 */
final class XavierInitialisation {
    /** ND4J's generator seeded with 0 gave different parameters at every call; seed 0 stands for this seed instead. */
    private static final long SEED_FOR_ZERO = 0x5DEECE66DL;

    private XavierInitialisation() {
    }

    /**
     * @param widths the input width, the hidden widths, then the output width
     * @return the flat parameters, FLOAT [P]
     */
    static INDArray parameters(int[] widths, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed != 0 ? seed : SEED_FOR_ZERO)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .list();
        for (int l = 0; l + 1 < widths.length; l++) {
            // Xavier's draw depends on the widths alone; the activation is irrelevant to it.
            list.layer(new DenseLayer.Builder().nIn(widths[l]).nOut(widths[l + 1]).activation(Activation.IDENTITY)
                    .build());
        }
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        return network.params().dup().reshape(network.numParams());
    }
}
