package org.score4j.models.ncsn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * One convolution of {@link DirectUnet} at one batch size as oneDNN primitives: the output, the input gradient and
 * the weight and bias gradients, on dense NHWC {@link Planes}; the bias [out] is read where the parameters keep it.
 * The kernel is kept as score4j stores it, [k, k, in, out] (oneDNN's {@code hwio}); {@link #load} reorders it into the layouts the
 * primitives chose. Padding is the SAME padding of the SameDiff graph: k / 2 before for stride 1; for stride 2 none
 * before and what the last output needs after.
 *
 * <p>oneDNN runs on its OpenMP threads (OMP_NUM_THREADS). Its output and input gradient do not depend on the thread
 * count (each value is computed by one thread); its weight and bias gradients sum over the batch in parts whose
 * number follows the thread count, so they can differ in the last bits between thread counts.
 */
final class OneDnnConvolution {
    private final stream stream;
    private final memory.desc kernelLayout;
    private final convolution_forward forward;
    private final convolution_backward_data backwardData;
    private final convolution_backward_weights backwardWeights;
    private final memory kernel;
    private final memory forwardKernel;
    private final memory dataKernel;
    private final memory weightGradient;
    private final memory kernelGradient;
    private final reorder toForward;
    /** Null where the input gradient takes the kernel in the forward primitive's layout. */
    private final reorder toData;
    private final reorder fromWeightGradient;
    private final memory src;
    private final memory dst;
    private final memory bias;
    private final FloatPointer biasGradient;
    private final IntMemoryMap forwardArgs = new IntMemoryMap();
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();
    private final FloatPointer gradient;
    private final String implementation;

    OneDnnConvolution(stream stream, int batch, int in, int out, int k, int stride, Planes.Geometry input,
                      Planes.Geometry output) {
        this.stream = stream;
        engine engine = OneDnn.engine();
        memory.desc source = activations(batch, in, input);
        memory.desc destination = activations(batch, out, output);
        kernelLayout = new memory.desc(new long[] {out, in, k, k}, memory.data_type.f32, memory.format_tag.hwio);
        memory.desc anyKernel = new memory.desc(new long[] {out, in, k, k}, memory.data_type.f32, memory.format_tag.any);
        memory.desc biasLayout = new memory.desc(new long[] {out}, memory.data_type.f32, memory.format_tag.a);
        long[] strides = {stride, stride};
        long[] before = stride == 1 ? new long[] {k / 2, k / 2} : new long[] {0, 0};
        long[] after = {
                (output.height() - 1L) * stride + k - input.height() - before[0],
                (output.width() - 1L) * stride + k - input.width() - before[1]};
        convolution_forward.primitive_desc f = new convolution_forward.primitive_desc(new convolution_forward.desc(
                prop_kind.forward_training, algorithm.convolution_direct, source, anyKernel, biasLayout, destination,
                strides, before, after), engine);
        convolution_backward_data.primitive_desc d = new convolution_backward_data.primitive_desc(
                new convolution_backward_data.desc(algorithm.convolution_direct, source, anyKernel, destination, strides,
                        before, after), engine, f);
        convolution_backward_weights.primitive_desc w = new convolution_backward_weights.primitive_desc(
                new convolution_backward_weights.desc(algorithm.convolution_direct, source, anyKernel, biasLayout,
                        destination, strides, before, after), engine, f);
        implementation = f.impl_info_str().getString() + " / " + d.impl_info_str().getString() + " / "
                + w.impl_info_str().getString();
        forward = new convolution_forward(f);
        backwardData = new convolution_backward_data(d);
        backwardWeights = new convolution_backward_weights(w);
        kernel = OneDnn.handle(kernelLayout);
        forwardKernel = new memory(f.weights_desc(), engine);
        boolean sameLayout = d.weights_desc().equals(f.weights_desc());
        dataKernel = sameLayout ? forwardKernel : new memory(d.weights_desc(), engine);
        weightGradient = new memory(w.diff_weights_desc(), engine);
        gradient = new FloatPointer((long) k * k * in * out);
        kernelGradient = new memory(kernelLayout, engine, gradient);
        toForward = new reorder(kernel, forwardKernel);
        toData = sameLayout ? null : new reorder(kernel, dataKernel);
        fromWeightGradient = new reorder(weightGradient, kernelGradient);
        src = OneDnn.handle(source);
        dst = OneDnn.handle(destination);
        bias = OneDnn.handle(biasLayout);
        biasGradient = new FloatPointer(out);
        forwardArgs.put(DNNL_ARG_SRC, src);
        forwardArgs.put(DNNL_ARG_WEIGHTS, forwardKernel);
        forwardArgs.put(DNNL_ARG_BIAS, bias);
        forwardArgs.put(DNNL_ARG_DST, dst);
        dataArgs.put(DNNL_ARG_DIFF_DST, dst);
        dataArgs.put(DNNL_ARG_WEIGHTS, dataKernel);
        dataArgs.put(DNNL_ARG_DIFF_SRC, src);
        weightArgs.put(DNNL_ARG_SRC, src);
        weightArgs.put(DNNL_ARG_DIFF_DST, dst);
        weightArgs.put(DNNL_ARG_DIFF_WEIGHTS, weightGradient);
        weightArgs.put(DNNL_ARG_DIFF_BIAS, new memory(biasLayout, engine, biasGradient));
    }

    private static memory.desc activations(int batch, int channels, Planes.Geometry g) {
        return new memory.desc(new long[] {batch, channels, g.height(), g.width()}, memory.data_type.f32,
                memory.format_tag.nhwc);
    }

    /** Takes the kernel [k, k, in, out] at {@code weights} for the next calls. */
    void load(FloatPointer weights) {
        kernel.set_data_handle(weights);
        toForward.execute(stream, kernel, forwardKernel);
        if (toData != null) {
            toData.execute(stream, kernel, dataKernel);
        }
        stream._wait();
    }

    /** y ← conv(x) + b, with the bias [out] at {@code b}. */
    void forward(Planes x, Planes y, Pointer b) {
        bias.set_data_handle(b);
        run(forward, forwardArgs, x, y);
    }

    /** dx ← the input gradient for output gradient dy (overwritten, not added). */
    void inputGradient(Planes dy, Planes dx) {
        run(backwardData, dataArgs, dx, dy);
    }

    /**
     * The weight gradient [k, k, in, out] for input x and output gradient dy, the bias gradient with it
     * ({@link #biasGradient}); valid until the next call.
     */
    FloatPointer weightGradient(Planes x, Planes dy) {
        run(backwardWeights, weightArgs, x, dy);
        fromWeightGradient.execute(stream, weightGradient, kernelGradient);
        stream._wait();
        return gradient;
    }

    /** The bias gradient [out] of the last {@link #weightGradient}. */
    FloatPointer biasGradient() {
        return biasGradient;
    }

    /** Which oneDNN implementations run the output, input gradient and weight gradient. */
    String implementation() {
        return implementation;
    }

    private void run(org.bytedeco.dnnl.primitive primitive, IntMemoryMap args, Planes input, Planes output) {
        src.set_data_handle(input.pointer());
        dst.set_data_handle(output.pointer());
        OneDnn.execute(stream, primitive, args);
    }
}
