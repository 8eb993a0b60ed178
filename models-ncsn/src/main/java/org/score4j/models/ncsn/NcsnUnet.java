package org.score4j.models.ncsn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.score4j.api.NonFiniteException;
import org.score4j.api.ScoreModel;
import org.score4j.api.Tensors;
import org.score4j.api.spi.ModelSpec;

/**
 * A noise-conditional convolutional score network for C×H×W images: a U-Net of residual blocks with skip
 * connections between matching resolutions, trained with Adam on a flat parameter vector.
 *
 * <p>As in {@link NcsnMlp}, inputs are scaled by 1/√(σ² + s²) and the score is the output divided by σ, so the
 * network regresses σ·∇log q_σ, of unit scale at every level; {@link UnetArchitecture#conditioning()} decides
 * whether the blocks also see σ.
 */
public final class NcsnUnet implements ScoreModel {
    static final String FORMAT = "ncsn-unet/1";
    private static final double ADAM_EPSILON = 1e-8;

    private final UnetArchitecture architecture;
    private final long[] shape;
    private final double dataScale;
    private final ModelSpec.Optimizer optimizer;
    private final UnetNetwork network;
    private final INDArray parameters;
    private final INDArray firstMoment;
    private final INDArray secondMoment;
    private final INDArray average;
    private long iterations;
    private INDArray loaded;
    private Inputs lastInputs;

    /** The network's inputs for a batch: scaled images, σ features, and σ itself for the output scaling. */
    private record Inputs(INDArray x, INDArray features, INDArray sigma) {
    }

    private NcsnUnet(UnetArchitecture architecture, UnetNetwork network, long[] shape, double dataScale,
                     ModelSpec.Optimizer optimizer, INDArray parameters, INDArray firstMoment, INDArray secondMoment,
                     INDArray average, long iterations) {
        this.architecture = architecture;
        this.shape = shape.clone();
        this.dataScale = dataScale;
        this.optimizer = optimizer;
        this.network = network;
        this.parameters = parameters;
        this.firstMoment = firstMoment;
        this.secondMoment = secondMoment;
        this.average = average;
        this.iterations = iterations;
    }

    /** A freshly initialised network for {@code spec}; the same spec gives the same parameters. */
    public static NcsnUnet create(UnetArchitecture architecture, ModelSpec spec) {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(spec, "spec");
        String problem = architecture.unsupported(spec.exampleShape());
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long[] shape = spec.exampleShape();
        UnetNetwork network = UnetNetwork.best(architecture, shape);
        INDArray parameters = network.parameters().initial(spec.seed());
        INDArray average = spec.optimizer().emaRate() > 0 ? parameters.dup() : null;
        return new NcsnUnet(architecture, network, shape, spec.dataScale(), spec.optimizer(), parameters,
                Nd4j.zeros(DataType.FLOAT, parameters.length()), Nd4j.zeros(DataType.FLOAT, parameters.length()),
                average, 0);
    }

    @Override
    public long[] exampleShape() {
        return shape.clone();
    }

    @Override
    public java.util.OptionalLong forwardFlops() {
        return java.util.OptionalLong.of(network.forwardFlops());
    }

    @Override
    public long parameterCount() {
        return parameters.length();
    }

    @Override
    public long iterations() {
        return iterations;
    }

    @Override
    public INDArray score(INDArray x, INDArray sigma) {
        use(average != null ? average : parameters);
        Inputs in = inputs(x, sigma);
        return toScore(network.output(in.x(), in.features()), sigma, x.dataType());
    }

    @Override
    public INDArray forwardForTraining(INDArray x, INDArray sigma) {
        use(parameters);
        lastInputs = inputs(x, sigma);
        return toScore(network.output(lastInputs.x(), lastInputs.features()), sigma, x.dataType());
    }

    @Override
    public double applyGradient(INDArray scoreGradient, int examples) {
        return step(backpropagate(scoreGradient).divi(examples));
    }

    @Override
    public boolean dataParallel() {
        return true;
    }

    @Override
    public void setParameters(INDArray flat) {
        if (flat.length() != parameters.length()) {
            throw new IllegalArgumentException("ncsn-unet has " + parameters.length() + " parameters, got " + flat.length());
        }
        parameters.assign(flat.reshape(parameters.shape()).castTo(DataType.FLOAT));
        loaded = null;
    }

    @Override
    public INDArray parameterGradient(INDArray scoreGradient) {
        return backpropagate(scoreGradient).dup().reshape(parameters.length());
    }

    @Override
    public double applyParameterGradient(INDArray meanGradient) {
        if (meanGradient.length() != parameters.length()) {
            throw new IllegalArgumentException("ncsn-unet has " + parameters.length() + " parameters, got a gradient of "
                    + meanGradient.length());
        }
        return step(meanGradient.reshape(parameters.shape()).castTo(DataType.FLOAT).dup());
    }

    @Override
    public INDArray trainingState() {
        return TrainingStates.join(stateArrays());
    }

    @Override
    public void setTrainingState(INDArray flat, long iterations) {
        TrainingStates.split(flat, "ncsn-unet", stateArrays());
        this.iterations = iterations;
        loaded = null;
    }

    /** The parameters, Adam's moments and the moving average: the arrays training changes. */
    private INDArray[] stateArrays() {
        return average != null ? new INDArray[] {parameters, firstMoment, secondMoment, average}
                : new INDArray[] {parameters, firstMoment, secondMoment};
    }

    /**
     * Clips a gradient of the mean loss (owned by this call), takes Adam's step with it, then the average: with
     * {@link FusedKernels}, three passes on the JVM (the norm; clipping, Adam and the update; the average) instead of
     * a dozen ND4J operations on the full parameter vector.
     */
    private double step(INDArray gradient) {
        double norm = FusedKernels.norm(gradient);
        if (!Double.isFinite(norm)) {
            throw new NonFiniteException("the parameter gradient of ncsn-unet is " + norm);
        }
        double scale = optimizer.clipNorm() > 0 && norm > optimizer.clipNorm() ? optimizer.clipNorm() / norm : 1;
        iterations++;
        double b1 = optimizer.beta1();
        double b2 = optimizer.beta2();
        double step = optimizer.learningRate() * Math.sqrt(1 - Math.pow(b2, iterations)) / (1 - Math.pow(b1, iterations));
        if (FusedKernels.available()) {
            FusedKernels.adam(parameters, gradient, firstMoment, secondMoment, 0, parameters.length(), scale, step, b1, b2,
                    ADAM_EPSILON);
        } else {
            if (scale != 1) {
                gradient.muli(scale);
            }
            firstMoment.muli(b1).addi(gradient.mul(1 - b1));
            secondMoment.muli(b2).addi(gradient.mul(gradient).muli(1 - b2));
            parameters.subi(firstMoment.div(Transforms.sqrt(secondMoment).addi(ADAM_EPSILON)).muli(step));
        }
        loaded = null;
        if (average != null) {
            MovingAverage.update(average, parameters, optimizer.emaRate(), iterations);
        }
        return norm;
    }

    /** ∂(mean loss)/∂parameters for the last training forward pass; no step is taken. */
    INDArray meanParameterGradient(INDArray scoreGradient, int examples) {
        return backpropagate(scoreGradient).dup().divi(examples);
    }

    /** ∂(summed loss)/∂parameters, in an array the next call may overwrite. */
    private INDArray backpropagate(INDArray scoreGradient) {
        if (lastInputs == null) {
            throw new IllegalStateException("a gradient needs a forwardForTraining first");
        }
        Inputs in = lastInputs;
        lastInputs = null;
        INDArray g = scoreGradient.castTo(DataType.FLOAT);
        if (architecture.outputScaling()) {
            g = Tensors.divideRows(g, in.sigma());
        }
        use(parameters);
        return network.gradient(in.x(), in.features(), g);
    }

    /** The live flattened parameters, for tests. */
    INDArray parametersView() {
        loaded = null;
        return parameters;
    }

    /** The flattened parameters (a copy). */
    @Override
    public INDArray parameters() {
        return parameters.dup();
    }

    private void use(INDArray weights) {
        if (loaded != weights) {
            network.load(weights);
            loaded = weights;
        }
    }

    private Inputs inputs(INDArray x, INDArray sigma) {
        if (x.rank() != 4 || x.size(1) != shape[0] || x.size(2) != shape[1] || x.size(3) != shape[2]
                || sigma.length() != x.size(0)) {
            throw new IllegalArgumentException("ncsn-unet expects x of shape [N, " + Arrays.stream(shape)
                    .mapToObj(Long::toString).collect(Collectors.joining(", ")) + "] and σ of shape [N], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(sigma.shape()));
        }
        INDArray xin = x.castTo(DataType.FLOAT);
        if (architecture.inputScaling()) {
            xin = Tensors.divideRows(xin, SigmaFeatures.inputScale(sigma, dataScale));
        }
        return new Inputs(xin, SigmaFeatures.of(sigma, dataScale, architecture.embedding()),
                sigma.castTo(DataType.FLOAT));
    }

    private INDArray toScore(INDArray out, INDArray sigma, DataType type) {
        INDArray s = architecture.outputScaling() ? Tensors.divideRows(out, sigma) : out.dup();
        return s.castTo(type);
    }

    @Override
    public void save(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("shape", Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(",")));
        p.setProperty("data-scale", Double.toString(dataScale));
        p.setProperty("learning-rate", Double.toString(optimizer.learningRate()));
        p.setProperty("beta1", Double.toString(optimizer.beta1()));
        p.setProperty("beta2", Double.toString(optimizer.beta2()));
        p.setProperty("clip-norm", Double.toString(optimizer.clipNorm()));
        p.setProperty("ema-rate", Double.toString(optimizer.emaRate()));
        p.setProperty("iterations", Long.toString(iterations));
        architecture.write(p);
        ModelArchive.writeProperties(zip, p, "score4j ncsn-unet");
        ModelArchive.write(zip, "parameters.bin", o -> {
            DataOutputStream data = new DataOutputStream(o);
            Nd4j.write(parameters, data);
            Nd4j.write(firstMoment, data);
            Nd4j.write(secondMoment, data);
            if (average != null) {
                Nd4j.write(average, data);
            }
            data.flush();
        });
        zip.finish();
        zip.flush();
    }

    /** Restores a model written by {@link #save}. */
    public static NcsnUnet load(InputStream in) throws IOException {
        java.util.Map<String, byte[]> entries = ModelArchive.read(in);
        Properties p = ModelArchive.properties(entries, FORMAT);
        byte[] arrays = entries.get("parameters.bin");
        if (p == null || arrays == null) {
            throw new IOException("not an ncsn-unet model (expected model.properties with format " + FORMAT
                    + " and parameters.bin)");
        }
        try {
            double rate = Double.parseDouble(p.getProperty("ema-rate"));
            ModelSpec.Optimizer optimizer = new ModelSpec.Optimizer(Double.parseDouble(p.getProperty("learning-rate")),
                    Double.parseDouble(p.getProperty("beta1")), Double.parseDouble(p.getProperty("beta2")),
                    Double.parseDouble(p.getProperty("clip-norm")), rate);
            long[] shape = Arrays.stream(p.getProperty("shape").split(",")).mapToLong(Long::parseLong).toArray();
            UnetArchitecture architecture = UnetArchitecture.read(p);
            DataInputStream data = new DataInputStream(new ByteArrayInputStream(arrays));
            INDArray parameters = Nd4j.read(data);
            INDArray first = Nd4j.read(data);
            INDArray second = Nd4j.read(data);
            INDArray average = rate > 0 ? Nd4j.read(data) : null;
            NcsnUnet model = new NcsnUnet(architecture, UnetNetwork.best(architecture, shape),
                    shape, Double.parseDouble(p.getProperty("data-scale")), optimizer, parameters, first, second, average,
                    Long.parseLong(p.getProperty("iterations")));
            if (parameters.length() != model.network.parameters().size() || first.length() != parameters.length()
                    || second.length() != parameters.length() || (average != null && average.length() != parameters.length())) {
                throw new IOException("parameters.bin holds " + parameters.length() + " parameters; the architecture has "
                        + model.network.parameters().size());
            }
            return model;
        } catch (RuntimeException e) {
            throw new IOException("corrupt ncsn-unet model: " + e.getMessage(), e);
        }
    }
}
