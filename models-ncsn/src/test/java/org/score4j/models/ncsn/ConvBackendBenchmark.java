package org.score4j.models.ncsn;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.weightinit.impl.XavierInitScheme;

/**
 * The measurement behind ncsn-unet's choice of SameDiff: the same convolution stack (4 swish 3×3 convolutions of
 * 64 channels and one to the output, 64 images of 28×28) through DL4J's layer API and through SameDiff, forward
 * only and forward + backward. Not a test: it runs only when asked, on the native build selected by the profile:
 * <pre>
 * mvn -pl models-ncsn -am install -DskipTests
 * mvn -pl models-ncsn surefire:test -Dtest=ConvBackendBenchmark -Dscore4j.bench=true                # oneDNN build
 * mvn -pl models-ncsn surefire:test -Dtest=ConvBackendBenchmark -Dscore4j.bench=true -Pgeneric-cpu  # plain build
 * </pre>
 */
class ConvBackendBenchmark {
    private static final int BATCH = 64;
    private static final int CHANNELS = 64;
    private static final int LAYERS = 4;

    @Test
    void layerApiAgainstSameDiff() {
        assumeTrue(Boolean.getBoolean("score4j.bench"), "a benchmark: run with -Dscore4j.bench=true");
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 1, 28, 28);
        MultiLayerNetwork net = layerApi();
        SameDiff sd = sameDiff();
        List<String> parameters = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                parameters.add(v.name());
            }
        }
        System.out.printf("native build: %s, OMP_NUM_THREADS=%s%n", System.getProperty("java.class.path")
                .contains("onednn") ? "onednn-avx2" : "plain", System.getenv("OMP_NUM_THREADS"));
        time("DL4J layers, forward", () -> net.output(x, false));
        time("DL4J layers, forward + backward", () -> {
            net.setInput(x);
            List<INDArray> activations = net.feedForward(true, false);
            net.backpropGradient(activations.get(activations.size() - 1).dup(), LayerWorkspaceMgr.noWorkspaces());
        });
        time("SameDiff, forward", () -> sd.output(Map.of("x", x), "out"));
        time("SameDiff, forward + backward", () -> {
            Map<String, INDArray> in = new HashMap<>();
            in.put("x", x);
            in.put("g", sd.output(in, "out").get("out"));
            sd.calculateGradients(in, parameters);
        });
    }

    private static MultiLayerNetwork layerApi() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        for (int i = 0; i < LAYERS; i++) {
            list.layer(new ConvolutionLayer.Builder(3, 3).nIn(i == 0 ? 1 : CHANNELS).nOut(CHANNELS)
                    .convolutionMode(ConvolutionMode.Same).activation(Activation.SWISH).build());
        }
        list.layer(new ConvolutionLayer.Builder(3, 3).nIn(CHANNELS).nOut(1).convolutionMode(ConvolutionMode.Same)
                .activation(Activation.IDENTITY).build());
        list.setInputType(InputType.convolutional(28, 28, 1));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static SameDiff sameDiff() {
        SameDiff sd = SameDiff.create();
        SDVariable h = sd.placeHolder("x", DataType.FLOAT, -1, 1, 28, 28);
        for (int i = 0; i <= LAYERS; i++) {
            int in = i == 0 ? 1 : CHANNELS;
            int out = i == LAYERS ? 1 : CHANNELS;
            SDVariable w = sd.var("w" + i, new XavierInitScheme('c', 9 * in, 9 * out), DataType.FLOAT, 3, 3, in, out);
            SDVariable b = sd.zero("b" + i, DataType.FLOAT, out);
            h = sd.cnn.conv2d(h, w, b, Conv2DConfig.builder().kH(3).kW(3).paddingMode(PaddingMode.SAME)
                    .dataFormat("NCHW").build());
            if (i < LAYERS) {
                h = sd.nn.swish(h);
            }
        }
        SDVariable out = sd.identity("out", h);
        out.mul(sd.placeHolder("g", DataType.FLOAT, -1, 1, 28, 28)).sum().markAsLoss();
        return sd;
    }

    private static void time(String what, Runnable work) {
        for (int i = 0; i < 3; i++) {
            work.run();
        }
        int repeats = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            work.run();
        }
        double ms = (System.nanoTime() - t0) / 1e6 / repeats;
        System.out.printf("%-34s %8.1f ms per batch of %d%n", what, ms, BATCH);
    }
}
