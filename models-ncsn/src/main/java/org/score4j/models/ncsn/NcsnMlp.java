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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
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
    private final DenseStack stack;
    private final DenseStack.Views live;
    private final DenseStack.Views averaged;
    private final INDArray gradient;
    private final DenseStack.Views gradients;
    private DenseStack.Trace lastTrace;
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
        int[] widths = new int[architecture.layers() + 2];
        widths[0] = dimension + SigmaFeatures.width(architecture.embedding());
        java.util.Arrays.fill(widths, 1, widths.length - 1, architecture.hidden());
        widths[widths.length - 1] = dimension;
        this.stack = new DenseStack(architecture.activation(), widths);
        if (stack.size() != network.numParams()) {
            throw new IllegalStateException("ncsn-mlp layout: " + stack.size() + " parameters expected, the network has "
                    + network.numParams());
        }
        this.live = stack.views(network.params());
        this.averaged = this.average != null ? stack.views(this.average) : live;
        this.gradient = Nd4j.create(DataType.FLOAT, network.params().shape());
        this.gradients = stack.views(gradient);
    }

    /** ND4J's generator seeded with 0 gave different parameters at every call; seed 0 stands for this seed instead. */
    private static final long SEED_FOR_ZERO = 0x5DEECE66DL;

    /** A freshly initialised network for {@code spec}; the same spec gives the same parameters. */
    public static NcsnMlp create(MlpArchitecture architecture, ModelSpec spec) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(spec, "spec");
        long[] shape = spec.exampleShape();
        // Images and other tensors are flattened: the MLP sees every example as one vector.
        int d = (int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        ModelSpec.Optimizer opt = spec.optimizer();
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(spec.seed() != 0 ? spec.seed() : SEED_FOR_ZERO)
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
        return java.util.OptionalLong.of(stack.forwardFlops());
    }

    @Override
    public long iterations() {
        return network.getLayerWiseConfigurations().getIterationCount();
    }

    @Override
    public INDArray score(INDArray x, INDArray sigma) {
        INDArray out = stack.forward(averaged, features(x, sigma), null);
        return toScore(out, sigma, x.dataType()).reshape('c', x.shape());
    }

    @Override
    public INDArray forwardForTraining(INDArray x, INDArray sigma) {
        lastTrace = new DenseStack.Trace();
        INDArray out = stack.forward(live, features(x, sigma), lastTrace);
        lastSigma = sigma.castTo(DataType.FLOAT);
        return toScore(out, sigma, x.dataType()).reshape('c', x.shape());
    }

    @Override
    public double applyGradient(INDArray scoreGradient, int examples) {
        backpropagate(scoreGradient);
        gradient.divi(examples);
        return step();
    }

    @Override
    public boolean dataParallel() {
        return true;
    }

    @Override
    public INDArray parameters() {
        return network.params().dup().reshape(network.params().length());
    }

    @Override
    public void setParameters(INDArray flat) {
        if (flat.length() != network.params().length()) {
            throw new IllegalArgumentException("ncsn-mlp has " + network.params().length() + " parameters, got " + flat.length());
        }
        // In place: the layers run on views of this array.
        network.params().assign(flat.reshape(network.params().shape()).castTo(DataType.FLOAT));
    }

    @Override
    public INDArray parameterGradient(INDArray scoreGradient) {
        backpropagate(scoreGradient);
        return gradient.dup().reshape(gradient.length());
    }

    @Override
    public double applyParameterGradient(INDArray meanGradient) {
        if (meanGradient.length() != gradient.length()) {
            throw new IllegalArgumentException("ncsn-mlp has " + gradient.length() + " parameters, got a gradient of "
                    + meanGradient.length());
        }
        gradient.assign(meanGradient.reshape(gradient.shape()).castTo(DataType.FLOAT));
        return step();
    }

    @Override
    public INDArray trainingState() {
        return TrainingStates.join(stateArrays());
    }

    @Override
    public void setTrainingState(INDArray flat, long iterations) {
        TrainingStates.split(flat, "ncsn-mlp", stateArrays());
        network.getLayerWiseConfigurations().setIterationCount((int) iterations);
    }

    /** The parameters, Adam's moments and the moving average: the arrays training changes. */
    private INDArray[] stateArrays() {
        INDArray moments = updater().getStateViewArray();
        return average != null ? new INDArray[] {network.params(), moments, average} : new INDArray[] {network.params(), moments};
    }

    /** DL4J's Adam, its blocks initialised (their moments are views of its state array). */
    private BaseMultiLayerUpdater<?> updater() {
        BaseMultiLayerUpdater<?> updater = (BaseMultiLayerUpdater<?>) network.getUpdater();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            if (block.getGradientUpdater() == null) {
                block.init();
            }
        }
        return updater;
    }

    /**
     * Clips {@link #gradient} (of the mean loss), turns it into Adam's update and applies it, then the average. With
     * {@link FusedKernels} that is three passes on the JVM (the norm; clipping, Adam and the update; the average) on
     * DL4J's Adam state instead of a dozen ND4J operations, and {@link #gradient} is left as it is.
     */
    private double step() {
        boolean fused = FusedKernels.available();
        double norm = FusedKernels.norm(gradient);
        if (!Double.isFinite(norm)) {
            throw new NonFiniteException("the parameter gradient of ncsn-mlp is " + norm);
        }
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
        int iteration = (int) iterations();
        INDArray params = network.params();
        for (UpdaterBlock block : updater().getUpdaterBlocks()) {
            if (fused) {
                AdamUpdater adam = (AdamUpdater) block.getGradientUpdater();
                Adam config = adam.getConfig();
                // Adam's bias corrections folded into the step size, as DL4J's updater does.
                double alpha = config.getLearningRate(iteration, 0) * Math.sqrt(1 - Math.pow(config.getBeta2(),
                        iteration + 1)) / (1 - Math.pow(config.getBeta1(), iteration + 1));
                FusedKernels.adam(params, gradient, adam.getM(), adam.getV(), block.getParamOffsetStart(),
                        block.getParamOffsetEnd(), scale, alpha, config.getBeta1(), config.getBeta2(), config.getEpsilon());
            } else {
                // DL4J's Adam, on its own state, turns the (clipped) gradient into the update in place.
                INDArray range = gradient.reshape(gradient.length())
                        .get(NDArrayIndex.interval(block.getParamOffsetStart(), block.getParamOffsetEnd()));
                block.getGradientUpdater().applyUpdater(scale == 1 ? range : range.muli(scale), iteration, 0);
            }
        }
        if (!fused) {
            params.subi(gradient);
        }
        network.getLayerWiseConfigurations().setIterationCount(iteration + 1);
        if (average != null) {
            MovingAverage.update(average, params, emaRate, iteration + 1);
        }
        return norm;
    }

    /** ∂(mean loss)/∂parameters for the last training forward pass; no step is taken. */
    INDArray meanParameterGradient(INDArray scoreGradient, int examples) {
        backpropagate(scoreGradient);
        return gradient.dup().divi(examples);
    }

    /** Writes ∂(summed loss)/∂parameters into {@link #gradient}. */
    private void backpropagate(INDArray scoreGradient) {
        if (lastTrace == null) {
            throw new IllegalStateException("a gradient needs a forwardForTraining first");
        }
        INDArray epsilon = Tensors.rows(scoreGradient.castTo(DataType.FLOAT));
        if (architecture.outputScaling()) {
            epsilon = Tensors.divideRows(epsilon, lastSigma);
        }
        stack.backward(live, lastTrace, epsilon, gradients);
        lastTrace = null;
        lastSigma = null;
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

    /** The DL4J network holding the parameters (and Adam's state), for tests. */
    MultiLayerNetwork network() {
        return network;
    }

    /** The live flattened parameters, for tests. */
    INDArray parametersView() {
        return network.params();
    }

    /** [x·1/√(σ² + s²) (input scaling), σ features] per row, built on the JVM in one pass. */
    INDArray features(INDArray x, INDArray sigma) {
        if (x.rank() != shape.length + 1 || x.length() != x.size(0) * dimension || sigma.length() != x.size(0)) {
            throw new IllegalArgumentException("ncsn-mlp expects x of shape [N, " + java.util.Arrays.toString(shape)
                    .replaceAll("[\\[\\]]", "") + "] and σ of shape [N], got " + java.util.Arrays.toString(x.shape())
                    + " and " + java.util.Arrays.toString(sigma.shape()));
        }
        int n = (int) x.size(0);
        int embedding = architecture.embedding();
        int width = dimension + SigmaFeatures.width(embedding);
        float[] values = Tensors.floats(x);
        double[] sigmas = Tensors.doubles(sigma);
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            double factor = architecture.inputScaling() ? SigmaFeatures.inputFactor(sigmas[i], dataScale) : 1;
            int from = i * dimension;
            int to = i * width;
            for (int j = 0; j < dimension; j++) {
                out[to + j] = (float) (values[from + j] * factor);
            }
        }
        SigmaFeatures.writeRows(sigmas, dataScale, embedding, out, width, dimension);
        return Tensors.array(out, DataType.FLOAT, n, width);
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
