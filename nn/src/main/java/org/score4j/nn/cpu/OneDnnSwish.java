package org.score4j.nn.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.eltwise_backward;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;

/**
 * Swish, z·sigmoid(z), and its derivative over a dense float matrix of fixed shape as oneDNN primitives: the
 * backward pass takes the pre-activation z and recomputes the sigmoid, so a training pass keeps z only. Elementwise,
 * so the results do not depend on the thread count.
 */
public final class OneDnnSwish {
    private final stream stream;
    private final eltwise_forward forward;
    private final eltwise_backward backward;
    private final memory z;
    private final memory out;
    private final memory gradient;
    private final IntMemoryMap forwardArgs = new IntMemoryMap();
    private final IntMemoryMap backwardArgs = new IntMemoryMap();

    public OneDnnSwish(stream stream, long rows, long columns) {
        this.stream = stream;
        var engine = OneDnn.engine();
        memory.desc desc = new memory.desc(new long[] {rows, columns}, memory.data_type.f32, memory.format_tag.ab);
        eltwise_forward.primitive_desc f = new eltwise_forward.primitive_desc(new eltwise_forward.desc(
                prop_kind.forward_training, algorithm.eltwise_swish, desc, 1f, 0f), engine);
        forward = new eltwise_forward(f);
        backward = new eltwise_backward(new eltwise_backward.primitive_desc(
                new eltwise_backward.desc(algorithm.eltwise_swish, desc, desc, 1f, 0f), engine, f));
        z = OneDnn.handle(desc);
        out = OneDnn.handle(desc);
        gradient = OneDnn.handle(desc);
        forwardArgs.put(DNNL_ARG_SRC, z);
        forwardArgs.put(DNNL_ARG_DST, out);
        backwardArgs.put(DNNL_ARG_SRC, z);
        backwardArgs.put(DNNL_ARG_DIFF_DST, gradient);
        backwardArgs.put(DNNL_ARG_DIFF_SRC, out);
    }

    /** a ← swish(z). */
    public void forward(Pointer zValues, Pointer a) {
        z.set_data_handle(zValues);
        out.set_data_handle(a);
        OneDnn.execute(stream, forward, forwardArgs);
    }

    /** d ← g·swish′(z), for the gradient g of swish(z); d may be g. */
    public void backward(Pointer zValues, Pointer g, Pointer d) {
        z.set_data_handle(zValues);
        gradient.set_data_handle(g);
        out.set_data_handle(d);
        OneDnn.execute(stream, backward, backwardArgs);
    }
}
