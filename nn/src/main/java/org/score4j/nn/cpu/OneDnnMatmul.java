package org.score4j.nn.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;

/**
 * One matrix product of fixed shapes as a oneDNN primitive: C [m, n] (row-major) ← A [m, k] · B [k, n], each of A and
 * B stored row-major or transposed, optionally plus a bias [n] per row and then swish, all in one pass over C; or a
 * batch of such products, C_b ← A_b · B_b for b &lt; batch, each operand's matrices one after the other. The
 * operands' memory is given per call.
 *
 * <p>oneDNN splits the work over its OpenMP threads (OMP_NUM_THREADS) by blocks of C, so each value is summed by one
 * thread in an order fixed by the shapes; only a long k may be split too, which can change the last bits of a sum
 * with the thread count.
 */
public final class OneDnnMatmul {
    /** What follows the product. */
    public enum Epilogue {
        NONE, BIAS, BIAS_SWISH
    }

    private final stream stream;
    private final matmul product;
    private final memory a;
    private final memory b;
    private final memory bias;
    private final memory c;
    private final IntMemoryMap args = new IntMemoryMap();

    /**
     * @param aTransposed A is stored as its transpose [k, m] row-major
     * @param bTransposed B is stored as its transpose [n, k] row-major
     */
    public OneDnnMatmul(stream stream, long m, long k, long n, boolean aTransposed, boolean bTransposed,
                        Epilogue epilogue) {
        this(stream, 1, m, k, n, aTransposed, bTransposed, epilogue);
    }

    /**
     * A batch of products (a single one for {@code batch} = 1).
     *
     * @param aTransposed each A_b is stored as its transpose [k, m] row-major
     * @param bTransposed each B_b is stored as its transpose [n, k] row-major
     */
    public OneDnnMatmul(stream stream, long batch, long m, long k, long n, boolean aTransposed, boolean bTransposed,
                        Epilogue epilogue) {
        this.stream = stream;
        var engine = OneDnn.engine();
        memory.desc aDesc = desc(batch, m, k, aTransposed);
        memory.desc bDesc = desc(batch, k, n, bTransposed);
        memory.desc cDesc = desc(batch, m, n, false);
        primitive_attr attributes = new primitive_attr();
        if (epilogue == Epilogue.BIAS_SWISH) {
            post_ops ops = new post_ops();
            ops.append_eltwise(1f, algorithm.eltwise_swish, 1f, 0f);
            attributes.set_post_ops(ops);
        }
        matmul.desc desc;
        if (epilogue == Epilogue.NONE) {
            desc = new matmul.desc(aDesc, bDesc, cDesc);
            bias = null;
        } else {
            memory.desc biasDesc = batch == 1
                    ? new memory.desc(new long[] {1, n}, memory.data_type.f32, memory.format_tag.ab)
                    : new memory.desc(new long[] {1, 1, n}, memory.data_type.f32, memory.format_tag.abc);
            desc = new matmul.desc(aDesc, bDesc, biasDesc, cDesc);
            bias = OneDnn.handle(biasDesc);
            args.put(DNNL_ARG_BIAS, bias);
        }
        product = new matmul(new matmul.primitive_desc(desc, attributes, engine));
        a = OneDnn.handle(aDesc);
        b = OneDnn.handle(bDesc);
        c = OneDnn.handle(cDesc);
        args.put(DNNL_ARG_SRC, a);
        args.put(DNNL_ARG_WEIGHTS, b);
        args.put(DNNL_ARG_DST, c);
    }

    /** Rows × columns, row-major or transposed, for each of {@code batch} matrices. */
    private static memory.desc desc(long batch, long rows, long columns, boolean transposed) {
        if (batch == 1) {
            return new memory.desc(new long[] {rows, columns}, memory.data_type.f32,
                    transposed ? memory.format_tag.ba : memory.format_tag.ab);
        }
        return new memory.desc(new long[] {batch, rows, columns}, memory.data_type.f32,
                transposed ? memory.format_tag.acb : memory.format_tag.abc);
    }

    /** C ← A·B (then the epilogue; {@code biasValues} is ignored without one). */
    public void run(Pointer aValues, Pointer bValues, Pointer biasValues, Pointer cValues) {
        a.set_data_handle(aValues);
        b.set_data_handle(bValues);
        if (bias != null) {
            bias.set_data_handle(biasValues);
        }
        c.set_data_handle(cValues);
        OneDnn.execute(stream, product, args);
    }
}
