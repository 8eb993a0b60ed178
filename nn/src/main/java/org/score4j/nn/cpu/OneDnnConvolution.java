package org.score4j.nn.cpu;

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
import org.score4j.nn.Planes;

/**
 * One convolution at one batch size as oneDNN primitives (behind {@link org.score4j.nn.layers.Convolution}): the output, the input gradient and
 * the weight and bias gradients, on {@link Planes} in NHWC or in blocks of 16 channels. Where both sides are in
 * blocks, 3×3 kernels of stride 1 run Winograd's algorithm (faster than the direct kernels on 32 and 64 channels;
 * docs/speed.md); where only one is (the first and last convolutions, on the image's channels), the primitives run on
 * NHWC and that side is reordered in and out, as oneDNN has no fast kernels for the mix. The bias [out] is read
 * where the parameters keep it. The kernel is kept as score4j stores it, [k, k, in, out] (oneDNN's {@code hwio});
 * {@link #load} reorders it into the layouts the primitives chose. Padding is the SAME padding of the SameDiff
 * graph: k / 2 before for stride 1; for stride 2 none before and what the last output needs after.
 *
 * <p>oneDNN runs on its OpenMP threads (OMP_NUM_THREADS). Its output and input gradient do not depend on the thread
 * count (each value is computed by one thread); its weight and bias gradients sum over the batch in parts whose
 * number follows the thread count, so they can differ in the last bits between thread counts.
 */
public final class OneDnnConvolution {
    private final stream stream;
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
    private final Side src;
    private final Side dst;
    private final memory bias;
    private final FloatPointer biasGradient;
    private final IntMemoryMap forwardArgs = new IntMemoryMap();
    private final IntMemoryMap dataArgs = new IntMemoryMap();
    private final IntMemoryMap weightArgs = new IntMemoryMap();
    private final FloatPointer gradient;
    private final String implementation;

    /**
     * @param inBlocked  whether the input maps are in blocks of 16 channels ({@link Planes#block()}), else NHWC
     * @param outBlocked whether the output maps are
     */
    public OneDnnConvolution(stream stream, int batch, int in, boolean inBlocked, int out, boolean outBlocked, int k,
                      int stride, Planes.Geometry input, Planes.Geometry output) {
        this.stream = stream;
        engine engine = OneDnn.engine();
        boolean blocked = inBlocked && outBlocked;
        memory.desc source = activations(batch, in, blocked, input);
        memory.desc destination = activations(batch, out, blocked, output);
        memory.desc kernelLayout = new memory.desc(new long[] {out, in, k, k}, memory.data_type.f32,
                memory.format_tag.hwio);
        memory.desc anyKernel = new memory.desc(new long[] {out, in, k, k}, memory.data_type.f32, memory.format_tag.any);
        memory.desc biasLayout = new memory.desc(new long[] {out}, memory.data_type.f32, memory.format_tag.a);
        long[] strides = {stride, stride};
        long[] before = stride == 1 ? new long[] {k / 2, k / 2} : new long[] {0, 0};
        long[] after = {
                (output.height() - 1L) * stride + k - input.height() - before[0],
                (output.width() - 1L) * stride + k - input.width() - before[1]};
        algorithm method = algorithm.convolution_direct;
        convolution_forward.primitive_desc f = null;
        if (blocked && k == 3 && stride == 1) {
            try {
                f = forwardDescription(algorithm.convolution_winograd, source, anyKernel, biasLayout, destination,
                        strides, before, after);
                method = algorithm.convolution_winograd;
            } catch (RuntimeException unimplemented) {
                // Not for every shape (16 channels, for one): the direct kernels then.
            }
        }
        if (f == null) {
            f = forwardDescription(method, source, anyKernel, biasLayout, destination, strides, before, after);
        }
        convolution_backward_data.primitive_desc d = new convolution_backward_data.primitive_desc(
                new convolution_backward_data.desc(method, source, anyKernel, destination, strides, before, after),
                engine, f);
        convolution_backward_weights.primitive_desc w = new convolution_backward_weights.primitive_desc(
                new convolution_backward_weights.desc(method, source, anyKernel, biasLayout, destination, strides,
                        before, after), engine, f);
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
        src = new Side(source, activations(batch, in, inBlocked, input));
        dst = new Side(destination, activations(batch, out, outBlocked, output));
        bias = OneDnn.handle(biasLayout);
        biasGradient = new FloatPointer(out);
        forwardArgs.put(DNNL_ARG_SRC, src.inner);
        forwardArgs.put(DNNL_ARG_WEIGHTS, forwardKernel);
        forwardArgs.put(DNNL_ARG_BIAS, bias);
        forwardArgs.put(DNNL_ARG_DST, dst.inner);
        dataArgs.put(DNNL_ARG_DIFF_DST, dst.inner);
        dataArgs.put(DNNL_ARG_WEIGHTS, dataKernel);
        dataArgs.put(DNNL_ARG_DIFF_SRC, src.inner);
        weightArgs.put(DNNL_ARG_SRC, src.inner);
        weightArgs.put(DNNL_ARG_DIFF_DST, dst.inner);
        weightArgs.put(DNNL_ARG_DIFF_WEIGHTS, weightGradient);
        weightArgs.put(DNNL_ARG_DIFF_BIAS, new memory(biasLayout, engine, biasGradient));
    }

    private static convolution_forward.primitive_desc forwardDescription(
            algorithm method, memory.desc source, memory.desc kernel, memory.desc bias, memory.desc destination,
            long[] strides, long[] before, long[] after) {
        return new convolution_forward.primitive_desc(new convolution_forward.desc(prop_kind.forward_training, method,
                source, kernel, bias, destination, strides, before, after), OneDnn.engine());
    }

    private static memory.desc activations(int batch, int channels, boolean blocked, Planes.Geometry g) {
        return new memory.desc(new long[] {batch, channels, g.height(), g.width()}, memory.data_type.f32,
                blocked ? memory.format_tag.nChw16c : memory.format_tag.nhwc);
    }

    /** Takes the kernel [k, k, in, out] at {@code weights} for the next calls. */
    public void load(FloatPointer weights) {
        kernel.set_data_handle(weights);
        toForward.execute(stream, kernel, forwardKernel);
        if (toData != null) {
            toData.execute(stream, kernel, dataKernel);
        }
        stream._wait();
    }

    /** y ← conv(x) + b, with the bias [out] at {@code b}. */
    public void forward(Planes x, Planes y, Pointer b) {
        bias.set_data_handle(b);
        src.take(x, true);
        dst.take(y, false);
        OneDnn.execute(stream, forward, forwardArgs);
        dst.give();
    }

    /** dx ← the input gradient for output gradient dy (overwritten, not added). */
    public void inputGradient(Planes dy, Planes dx) {
        dst.take(dy, true);
        src.take(dx, false);
        OneDnn.execute(stream, backwardData, dataArgs);
        src.give();
    }

    /**
     * The weight gradient [k, k, in, out] for input x and output gradient dy, the bias gradient with it
     * ({@link #biasGradient}); valid until the next call.
     */
    public FloatPointer weightGradient(Planes x, Planes dy) {
        src.take(x, true);
        dst.take(dy, true);
        OneDnn.execute(stream, backwardWeights, weightArgs);
        fromWeightGradient.execute(stream, weightGradient, kernelGradient);
        stream._wait();
        return gradient;
    }

    /** The bias gradient [out] of the last {@link #weightGradient}. */
    public FloatPointer biasGradient() {
        return biasGradient;
    }

    /** Which oneDNN implementations run the output, input gradient and weight gradient. */
    public String implementation() {
        return implementation;
    }

    /**
     * The maps of one side as the primitives see them: the caller's memory, or, where the primitives' layout differs
     * from the maps', a copy of the primitives' own that is reordered from and to the maps.
     */
    private final class Side {
        private final memory inner;
        private final memory outer;
        private final reorder in;
        private final reorder out;

        Side(memory.desc primitives, memory.desc maps) {
            if (primitives.equals(maps)) {
                inner = OneDnn.handle(maps);
                outer = null;
                in = null;
                out = null;
            } else {
                inner = new memory(primitives, OneDnn.engine());
                outer = OneDnn.handle(maps);
                in = new reorder(outer, inner);
                out = new reorder(inner, outer);
            }
        }

        /** Points the primitives at maps {@code p}, copied in first where staged and {@code read}. */
        void take(Planes p, boolean read) {
            if (outer == null) {
                inner.set_data_handle(p.pointer());
                return;
            }
            outer.set_data_handle(p.pointer());
            if (read) {
                in.execute(stream, outer, inner);
            }
        }

        /** Copies what the primitive wrote out into the maps, where staged. */
        void give() {
            if (outer != null) {
                out.execute(stream, inner, outer);
                stream._wait();
            }
        }
    }
}
