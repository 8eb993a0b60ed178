package org.score4j.api.tensors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * On demand: the time to make a small array (and a view of one) with the shape-descriptor provider the JVM runs with,
 * one thread. The build's tests run with {@link ShapeInfoCache}; the second command gives ND4J's own provider:
 *
 * <pre>
 * OMP_NUM_THREADS=1 mvn -pl api surefire:test -Dtest=ArrayCreationBreakdown -Dscore4j.bench=true
 * OMP_NUM_THREADS=1 mvn -pl api surefire:test -Dtest=ArrayCreationBreakdown -Dscore4j.bench=true \
 *     -Dshapeinfoprovider=org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider
 * </pre>
 */
class ArrayCreationBreakdown {
    private static final int CALLS = 200_000;

    @Test
    void timesSmallArrays() {
        assumeTrue(Boolean.getBoolean("score4j.bench"), "a benchmark: run with -Dscore4j.bench=true");
        System.out.println("provider: " + Nd4j.getShapeInfoProvider().getClass().getName());
        INDArray base = Nd4j.createUninitialized(DataType.FLOAT, 256, 2);
        report("a [256, 2] float array (Nd4j.createUninitialized)",
                () -> Nd4j.createUninitialized(DataType.FLOAT, 256, 2));
        report("a [512] reshape of it", () -> base.reshape(512));
    }

    private static void report(String what, java.util.function.Supplier<INDArray> make) {
        double[] us = new double[7];
        for (int r = 0; r < us.length; r++) {
            long sum = 0;
            long t = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                sum += make.get().length();
            }
            us[r] = (System.nanoTime() - t) / 1e3 / CALLS;
            if (sum == 0) {
                throw new AssertionError("no arrays made");
            }
        }
        // The first two timings warm the JIT and the native allocator.
        double[] timed = Arrays.copyOfRange(us, 2, us.length);
        Arrays.sort(timed);
        System.out.println(String.format(Locale.ROOT, "%-55s %6.2f µs (min %.2f)", what, timed[timed.length / 2],
                timed[0]));
    }
}
