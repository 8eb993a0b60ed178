package org.score4j.core.conditional;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.FiniteDataset;
import org.score4j.api.ScoreFunction;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.api.tensors.Tensors;
import org.score4j.core.RunProgress;
import org.score4j.core.config.ResolvedRun;

/**
 * How well a run's score imputes a table: complete held-out rows with a share of their cells hidden at random (at
 * least one cell of each row kept), filled by the score and by the two baselines (column means, k nearest training
 * rows), each scored by the root mean squared error on the hidden cells.
 */
public final class TableImputation {
    private TableImputation() {
    }

    /**
     * @param rows     complete rows to hide cells of, {@code [n, d]}
     * @param fraction the share of cells hidden, in (0, 1)
     * @param draws    chains per row for the score's imputation
     * @return the figures, in the order they are written to {@code metrics.json}
     */
    public static Map<String, Object> evaluate(ResolvedRun run, ScoreFunction score, INDArray rows, double fraction,
                                               int draws, int neighbours, RunProgress progress) {
        double[][] truth = rows.castTo(DataType.DOUBLE).toDoubleMatrix();
        int n = truth.length;
        int d = truth[0].length;
        SplittableRandom random = new SplittableRandom(Seeds.derive(run.seed(), "hidden-cells"));
        boolean[][] hidden = new boolean[n][d];
        double[][] given = new double[n][];
        for (int i = 0; i < n; i++) {
            given[i] = truth[i].clone();
            int kept = random.nextInt(d);
            for (int j = 0; j < d; j++) {
                if (j != kept && random.nextDouble() < fraction) {
                    hidden[i][j] = true;
                    given[i][j] = Double.NaN;
                }
            }
        }
        INDArray input = Tensors.array(flatten(given), DataType.FLOAT, n, d);
        Imputation.Result model = Imputation.fill(run, score, input, Masks.given(input), draws, progress);
        double[][] reference = reference(run);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", n);
        m.put("hidden_fraction", fraction);
        m.put("hidden_cells", count(hidden));
        m.put("draws_per_row", draws);
        m.put("rmse_score_model", Baselines.rmse(model.filled().castTo(DataType.DOUBLE).toDoubleMatrix(), truth, hidden));
        m.put("rmse_column_mean", Baselines.rmse(Baselines.mean(given, reference), truth, hidden));
        m.put("rmse_nearest_neighbours", Baselines.rmse(Baselines.nearestNeighbours(given, reference, neighbours), truth,
                hidden));
        m.put("neighbours", neighbours);
        m.put("reference_rows", reference.length);
        m.put("seconds", model.seconds());
        return m;
    }

    /** The training rows the baselines use: every row of a finite data set, else 5000 fresh draws. */
    static double[][] reference(ResolvedRun run) {
        INDArray x = run.data() instanceof FiniteDataset f ? f.examples(0, f.size())
                : run.data().sample(5000, new SeededRandom(Seeds.derive(run.seed(), "imputation-reference")));
        return x.castTo(DataType.DOUBLE).reshape(x.size(0), x.length() / x.size(0)).toDoubleMatrix();
    }

    private static double[] flatten(double[][] rows) {
        double[] flat = new double[rows.length * rows[0].length];
        int at = 0;
        for (double[] r : rows) {
            for (double v : r) {
                flat[at++] = v;
            }
        }
        return flat;
    }

    private static int count(boolean[][] hidden) {
        int c = 0;
        for (boolean[] r : hidden) {
            for (boolean b : r) {
                c += b ? 1 : 0;
            }
        }
        return c;
    }
}
