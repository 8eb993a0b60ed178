package org.score4j.core.evaluation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.score4j.api.Dataset;
import org.score4j.api.LabelledDataset;
import org.score4j.api.io.SafeTensors;
import org.score4j.api.tensors.Tensors;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.spi.Fingerprint;

/**
 * A small classifier of a labelled image data set, trained once per data set and cached: its class predictions
 * give the class histogram of samples and its penultimate activations the features of a Fréchet distance.
 * It is an MLP trained on this data set only, so its Fréchet distance is comparable between runs on the same
 * data, not with Inception-based FID.
 */
final class FeatureClassifier {
    static final String VERSION = "mlp-256-64/1";
    private static final int STEPS = 2000;
    private static final int BATCH = 128;

    private final MultiLayerNetwork network;

    private FeatureClassifier(MultiLayerNetwork network) {
        this.network = network;
    }

    /**
     * The cached classifier of {@code data}, trained now (and cached) if there is none. The cache holds the network's
     * parameters as a safetensors file with the architecture's version: reading it runs no code, and an entry that
     * does not fit (another version, another size, a damaged file) is replaced by a fresh classifier.
     */
    static FeatureClassifier of(LabelledDataset data, Path cacheDirectory) {
        String key = Fingerprint.sha256(VERSION + " " + data.fingerprint()).substring(0, 16);
        Path file = cacheDirectory.resolve("classifier-" + key + ".safetensors");
        MultiLayerNetwork net = network(inputs(data), data.classes());
        if (Files.isRegularFile(file)) {
            try (SafeTensors t = SafeTensors.open(file, org.score4j.core.config.MemoryBudget.bytes())) {
                if (VERSION.equals(t.metadata().get("version"))) {
                    net.setParams(t.read("parameters", new long[] {net.numParams()}).reshape(1, net.numParams()));
                    return new FeatureClassifier(net);
                }
            } catch (IOException | RuntimeException e) {
                // An unreadable cache entry is replaced by a fresh classifier.
            }
        }
        FeatureClassifier trained = train(data, net);
        try {
            Files.createDirectories(cacheDirectory);
            Path tmp = Files.createTempFile(cacheDirectory, "classifier-", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                SafeTensors.write(out, java.util.Map.of("parameters", net.params().reshape(net.numParams())),
                        java.util.Map.of("version", VERSION, "data", data.fingerprint()));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Caching is an optimisation: the metric is the same without it.
        }
        return trained;
    }

    private static int inputs(Dataset data) {
        return (int) java.util.Arrays.stream(data.exampleShape()).reduce(1, (a, b) -> a * b);
    }

    /** Where classifiers are cached: the system property score4j.cache, $SCORE4J_CACHE, else ~/.cache/score4j. */
    static Path defaultCache() {
        String env = System.getProperty("score4j.cache", System.getenv("SCORE4J_CACHE"));
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "score4j");
    }

    /** The architecture of {@link #VERSION}, freshly initialised. */
    private static MultiLayerNetwork network(int in, int classes) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(in).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(256).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static FeatureClassifier train(LabelledDataset data, MultiLayerNetwork net) {
        SeededRandom rng = new SeededRandom(Fingerprint.sha256(data.fingerprint()).hashCode());
        for (int step = 0; step < STEPS; step++) {
            Dataset.Labelled batch = data.sampleLabelled(BATCH, rng);
            net.fit(new DataSet(Tensors.rows(batch.examples()), oneHot(batch.labels(), data.classes())));
        }
        return new FeatureClassifier(net);
    }

    /** The penultimate activations, one row per image. */
    double[][] features(INDArray images) {
        List<INDArray> activations = network.feedForwardToLayer(1, Tensors.rows(images.castTo(DataType.FLOAT)), false);
        return activations.get(2).castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** The most probable class of each image. */
    int[] classify(INDArray images) {
        INDArray p = network.output(Tensors.rows(images.castTo(DataType.FLOAT)), false);
        return p.argMax(1).toIntVector();
    }

    private static INDArray oneHot(int[] labels, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1f);
        }
        return y;
    }
}
