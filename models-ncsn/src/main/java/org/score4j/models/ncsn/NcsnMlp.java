package org.score4j.models.ncsn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Properties;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.score4j.api.NonFiniteException;
import org.score4j.api.ScoreModel;
import org.score4j.api.Tensors;
import org.score4j.api.spi.ModelSpec;

/**
 * A noise-conditional score network for vectors: an MLP on [x_in, log σ features] trained by
 * external errors on a Deeplearning4j {@link MultiLayerNetwork}.
 *
 * <p>x_in = x/√(σ² + s²) with the data scale s (input scaling), the σ features are c = ln(σ/s)/4 and
 * sin(kπc), cos(kπc) for k = 1..embedding/2, and the score is the output divided by σ (output
 * scaling), so the network regresses σ·∇log q_σ, which has unit scale at every level.
 */
public final class NcsnMlp implements ScoreModel {
    static final String FORMAT = "ncsn-mlp/1";

    private final MultiLayerNetwork network;
    private final MlpArchitecture architecture;
    private final long[] shape;
    private final int dimension;
    private final double dataScale;
    private final double clipNorm;
    private final double emaRate;
    private final INDArray average;
    private MultiLayerNetwork averaged;
    private boolean averagedStale = true;
    private INDArray lastSigma;

    private NcsnMlp(MultiLayerNetwork network, MlpArchitecture architecture, long[] shape, double dataScale,
                    double clipNorm, double emaRate, INDArray average) {
        this.network = network;
        this.architecture = architecture;
        this.shape = shape.clone();
        this.dimension = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        this.dataScale = dataScale;
        this.clipNorm = clipNorm;
        this.emaRate = emaRate;
        this.average = emaRate > 0 ? (average != null ? average : network.params().dup()) : null;
    }

    /** A freshly initialised network for {@code spec}; the same spec gives the same parameters. */
    public static NcsnMlp create(MlpArchitecture architecture, ModelSpec spec) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(spec, "spec");
        long[] shape = spec.exampleShape();
        // Images and other tensors are flattened: the MLP sees every example as one vector.
        int d = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        ModelSpec.Optimizer opt = spec.optimizer();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .updater(new Adam(opt.learningRate(), opt.beta1(), opt.beta2(), 1e-8))
                .weightInit(WeightInit.XAVIER)
                .list();
        int in = d + 1 + architecture.embedding();
        for (int i = 0; i < architecture.layers(); i++) {
            list.layer(new DenseLayer.Builder().nIn(i == 0 ? in : architecture.hidden()).nOut(architecture.hidden())
                    .activation(activation(architecture.activation())).build());
        }
        list.layer(new DenseLayer.Builder().nIn(architecture.hidden()).nOut(d).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return new NcsnMlp(net, architecture, shape, spec.dataScale(), opt.clipNorm(), opt.emaRate(), null);
    }

    @Override
    public long[] exampleShape() {
        return shape.clone();
    }

    @Override
    public long parameterCount() {
        return network.numParams();
    }

    @Override
    public java.util.OptionalLong forwardFlops() {
        long flops = 0;
        for (int i = 0; i < network.getnLayers(); i++) {
            DenseLayer layer = (DenseLayer) network.getLayer(i).conf().getLayer();
            flops += 2 * layer.getNIn() * layer.getNOut();
        }
        return java.util.OptionalLong.of(flops);
    }

    @Override
    public long iterations() {
        return network.getLayerWiseConfigurations().getIterationCount();
    }

    @Override
    public INDArray score(INDArray x, INDArray sigma) {
        INDArray out = inference().output(features(x, sigma), false);
        return toScore(out, sigma, x.dataType()).reshape('c', x.shape());
    }

    @Override
    public INDArray forwardForTraining(INDArray x, INDArray sigma) {
        network.setInput(features(x, sigma));
        java.util.List<INDArray> activations = network.feedForward(true, false);
        lastSigma = sigma.castTo(DataType.FLOAT);
        return toScore(activations.get(activations.size() - 1), sigma, x.dataType()).reshape('c', x.shape());
    }

    @Override
    public double applyGradient(INDArray scoreGradient, int examples) {
        Gradient gradient = backpropagate(scoreGradient);
        INDArray flat = gradient.gradient();
        double norm = flat.norm2Number().doubleValue() / examples;
        if (!Double.isFinite(norm)) {
            throw new NonFiniteException("the parameter gradient of ncsn-mlp is " + norm);
        }
        if (clipNorm > 0 && norm > clipNorm) {
            flat.muli(clipNorm / norm);
        }
        int iteration = (int) iterations();
        // The updater divides by the minibatch size: the gradient given is that of the summed loss.
        network.getUpdater().update(network, gradient, iteration, 0, examples, LayerWorkspaceMgr.noWorkspaces());
        network.params().subi(flat);
        network.getLayerWiseConfigurations().setIterationCount(iteration + 1);
        if (average != null) {
            MovingAverage.update(average, network.params(), emaRate, iteration + 1);
            averagedStale = true;
        }
        return norm;
    }

    /** The network that scores: a copy holding the moving average when there is one. */
    private MultiLayerNetwork inference() {
        if (average == null) {
            return network;
        }
        if (averaged == null) {
            averaged = network.clone();
        }
        if (averagedStale) {
            averaged.setParams(average);
            averagedStale = false;
        }
        return averaged;
    }

    /** ∂(mean loss)/∂parameters for the last training forward pass; no step is taken. */
    INDArray meanParameterGradient(INDArray scoreGradient, int examples) {
        return backpropagate(scoreGradient).gradient().dup().divi(examples);
    }

    private Gradient backpropagate(INDArray scoreGradient) {
        if (lastSigma == null) {
            throw new IllegalStateException("a gradient needs a forwardForTraining first");
        }
        INDArray epsilon = Tensors.rows(scoreGradient.castTo(DataType.FLOAT));
        if (architecture.outputScaling()) {
            epsilon = Tensors.divideRows(epsilon, lastSigma);
        }
        lastSigma = null;
        Pair<Gradient, INDArray> back = network.backpropGradient(epsilon, LayerWorkspaceMgr.noWorkspaces());
        return back.getFirst();
    }

    @Override
    public void save(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("dimension", Integer.toString(dimension));
        p.setProperty("shape", java.util.Arrays.stream(shape).mapToObj(Long::toString)
                .collect(java.util.stream.Collectors.joining(",")));
        p.setProperty("data-scale", Double.toString(dataScale));
        p.setProperty("clip-norm", Double.toString(clipNorm));
        p.setProperty("ema-rate", Double.toString(emaRate));
        architecture.write(p);
        ModelArchive.writeProperties(zip, p, "score4j ncsn-mlp");
        ByteArrayOutputStream net = new ByteArrayOutputStream();
        ModelSerializer.writeModel(network, net, true);
        ModelArchive.write(zip, "network.zip", o -> o.write(net.toByteArray()));
        if (average != null) {
            ModelArchive.write(zip, "ema.bin", o -> {
                DataOutputStream data = new DataOutputStream(o);
                Nd4j.write(average, data);
                data.flush();
            });
        }
        zip.finish();
        zip.flush();
    }

    /** Restores a model written by {@link #save}. */
    public static NcsnMlp load(InputStream in) throws IOException {
        java.util.Map<String, byte[]> entries = ModelArchive.read(in);
        Properties p = ModelArchive.properties(entries, FORMAT);
        byte[] net = entries.get("network.zip");
        byte[] ema = entries.get("ema.bin");
        if (p == null || net == null) {
            throw new IOException("not an ncsn-mlp model (expected model.properties with format " + FORMAT
                    + " and network.zip)");
        }
        try {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(net), true);
            double rate = Double.parseDouble(p.getProperty("ema-rate", "0"));
            INDArray average = null;
            if (rate > 0) {
                if (ema == null) {
                    throw new IOException("the model has ema-rate " + rate + " but no ema.bin");
                }
                average = Nd4j.read(new DataInputStream(new ByteArrayInputStream(ema)));
                if (average.length() != network.numParams()) {
                    throw new IOException("ema.bin holds " + average.length() + " values for " + network.numParams()
                            + " parameters");
                }
            }
            long[] shape = java.util.Arrays.stream(p.getProperty("shape", p.getProperty("dimension")).split(","))
                    .mapToLong(Long::parseLong).toArray();
            return new NcsnMlp(network, MlpArchitecture.read(p), shape,
                    Double.parseDouble(p.getProperty("data-scale")), Double.parseDouble(p.getProperty("clip-norm")), rate,
                    average);
        } catch (RuntimeException e) {
            throw new IOException("corrupt ncsn-mlp model: " + e.getMessage(), e);
        }
    }

    /** The live flattened parameters, for tests. */
    INDArray parametersView() {
        return network.params();
    }

    /** The flattened parameters (a copy). */
    public INDArray parameters() {
        return network.params().dup();
    }

    private INDArray features(INDArray x, INDArray sigma) {
        if (x.rank() != shape.length + 1 || x.length() != x.size(0) * dimension || sigma.length() != x.size(0)) {
            throw new IllegalArgumentException("ncsn-mlp expects x of shape [N, " + java.util.Arrays.toString(shape)
                    .replaceAll("[\\[\\]]", "") + "] and σ of shape [N], got " + java.util.Arrays.toString(x.shape())
                    + " and " + java.util.Arrays.toString(sigma.shape()));
        }
        x = Tensors.rows(x);
        INDArray xin = x.castTo(DataType.FLOAT);
        if (architecture.inputScaling()) {
            xin = xin.divColumnVector(SigmaFeatures.inputScale(sigma, dataScale));
        }
        return Nd4j.hstack(xin, SigmaFeatures.of(sigma, dataScale, architecture.embedding()));
    }

    private INDArray toScore(INDArray out, INDArray sigma, DataType type) {
        INDArray s = architecture.outputScaling() ? Tensors.divideRows(out, sigma) : out.dup();
        return s.castTo(type);
    }

    private static Activation activation(String name) {
        return switch (name) {
            case "relu" -> Activation.RELU;
            case "softplus" -> Activation.SOFTPLUS;
            case "tanh" -> Activation.TANH;
            case "elu" -> Activation.ELU;
            default -> Activation.SWISH;
        };
    }
}
