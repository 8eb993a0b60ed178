package org.score4j.runner.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.ScoreFunction;

/**
 * Records the first chains of a sampling run as it passes through the noise levels: a score function that
 * passes every call on and keeps a copy of the first {@code chains} states whenever it is first asked for
 * one of the chosen levels. Works with any sampler, at no extra score evaluations.
 */
public final class Trajectory implements ScoreFunction {
    private final ScoreFunction score;
    private final int chains;
    private final double[] levels;
    private final List<INDArray> snapshots = new ArrayList<>();

    /** Whether a run draws a trajectory grid: image data with plots on. */
    public static boolean drawn(org.score4j.runner.wiring.ResolvedRun run) {
        return run.data().exampleShape().length == 3 && run.eval().plots();
    }

    /** The recorder of a run's trajectory grid: its first 8 chains at 8 levels. */
    public static Trajectory of(ScoreFunction score, org.score4j.runner.wiring.ResolvedRun run) {
        return new Trajectory(score, run.schedule(), 8, 8);
    }

    /**
     * @param snapshots how many levels to record, spread from σ_max to σ_min
     */
    public Trajectory(ScoreFunction score, NoiseSchedule schedule, int chains, int snapshots) {
        this.score = Objects.requireNonNull(score, "score");
        this.chains = chains;
        int m = Math.min(schedule.size(), snapshots);
        this.levels = new double[m];
        for (int i = 0; i < m; i++) {
            levels[i] = schedule.sigma(m == 1 ? 0 : (int) Math.round(i * (schedule.size() - 1.0) / (m - 1)));
        }
    }

    @Override
    public INDArray score(INDArray x, INDArray sigma) {
        int next = snapshots.size();
        // σ may arrive rounded to float.
        if (next < levels.length && Math.abs(sigma.getDouble(0) - levels[next]) <= 1e-6 * levels[next]) {
            snapshots.add(x.get(NDArrayIndex.interval(0, Math.min(chains, x.size(0)))).dup());
        }
        return score.score(x, sigma);
    }

    /**
     * The recorded states followed by {@code samples}' first chains, chain-major: row k of a grid with one
     * column per snapshot shows chain k from σ_max to the end. Null if no level was recorded.
     */
    public INDArray grid(INDArray samples) {
        return grid(snapshots, samples);
    }

    /** The states recorded so far, one array per level ({@code [chains, shape...]}). */
    public List<INDArray> snapshots() {
        return List.copyOf(snapshots);
    }

    /** {@link #grid} of snapshots recorded elsewhere (e.g. by an engine's task). */
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

    /** Snapshots per chain in {@link #grid}, the final samples included. */
    public int columns() {
        return snapshots.size() + 1;
    }
}
