package org.score4j.core.sampling;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.SamplerStep;
import org.score4j.api.SamplingGrid;
import org.score4j.api.StepListener;

/**
 * Records the first chains of a sampling run as it passes through the noise levels: a {@link StepListener} that keeps a
 * copy of the first {@code chains} states the first time the reported σ reaches each of a few levels spread over the
 * grid. Works with any sampler, adaptive ones included, at no extra score evaluations.
 */
public final class Trajectory implements StepListener {
    private final int chains;
    private final double[] levels;
    private final List<INDArray> snapshots = new ArrayList<>();

    /** Whether a run draws a trajectory grid: image data with plots on. */
    public static boolean drawn(org.score4j.core.config.ResolvedRun run) {
        return run.data().exampleShape().length == 3 && run.eval().plots();
    }

    /** The recorder of a run's trajectory grid: its first 8 chains at 8 levels. */
    public static Trajectory of(org.score4j.core.config.ResolvedRun run) {
        return new Trajectory(run.grid(), 8, 8);
    }

    /**
     * @param snapshots how many levels to record, spread over the grid's positive levels from the largest down
     */
    public Trajectory(SamplingGrid grid, int chains, int snapshots) {
        this.chains = chains;
        double[] positive = grid.levels().sigmas();
        int m = Math.min(positive.length, snapshots);
        this.levels = new double[m];
        for (int i = 0; i < m; i++) {
            levels[i] = positive[m == 1 ? 0 : (int) Math.round(i * (positive.length - 1.0) / (m - 1))];
        }
    }

    @Override
    public void afterStep(SamplerStep step) {
        int next = snapshots.size();
        if (next < levels.length && step.sigma() <= levels[next]) {
            INDArray x = step.x();
            snapshots.add(x.get(NDArrayIndex.interval(0, Math.min(chains, x.size(0)))).dup());
        }
    }

    /** The states recorded so far, one array per level ({@code [chains, shape...]}). */
    public List<INDArray> snapshots() {
        return List.copyOf(snapshots);
    }

    /**
     * The recorded states followed by {@code samples}' first chains, chain-major: row k of a grid with one column per
     * snapshot shows chain k from σ_max to the end. Null if no level was recorded.
     */
    public static INDArray grid(List<INDArray> snapshots, INDArray samples) {
        if (snapshots.isEmpty()) {
            return null;
        }
        List<INDArray> columns = new ArrayList<>(snapshots);
        columns.add(samples.get(NDArrayIndex.interval(0, snapshots.get(0).size(0))));
        long n = columns.get(0).size(0);
        List<INDArray> rows = new ArrayList<>();
        for (long k = 0; k < n; k++) {
            for (INDArray column : columns) {
                rows.add(column.get(NDArrayIndex.interval(k, k + 1)).castTo(samples.dataType()));
            }
        }
        return Nd4j.concat(0, rows.toArray(INDArray[]::new));
    }
}
