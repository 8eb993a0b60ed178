package org.score4j.models.ncsn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.Loss;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;
import org.score4j.api.random.RandomSource;
import org.score4j.api.tensors.Tensors;

/** DSM at a level drawn per example, with λ = σ², written out here so the model tests need no plugin. */
final class DenoisingTarget implements Objective {
    @Override
    public Batch prepare(INDArray data, NoiseSchedule schedule, RandomSource rng) {
        int n = (int) data.size(0);
        int[] levels = rng.integers(n, schedule.size());
        double[] sig = new double[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            sig[i] = schedule.sigma(levels[i]);
            rows[i] = i;
        }
        INDArray sigmas = Nd4j.createFromArray(sig).castTo(DataType.FLOAT);
        INDArray z = rng.normal(data.shape());
        INDArray inputs = data.add(Tensors.scaleRows(z, sigmas));
        return new Batch() {
            @Override
            public INDArray inputs() {
                return inputs;
            }

            @Override
            public INDArray sigmas() {
                return sigmas;
            }

            @Override
            public int[] rowExamples() {
                return rows.clone();
            }

            @Override
            public double[] exampleSigmas() {
                return sig.clone();
            }

            @Override
            public Loss loss(INDArray scores) {
                // ½‖σ s + z‖² per example
                INDArray r = Tensors.scaleRows(scores.castTo(DataType.DOUBLE), sigmas.castTo(DataType.DOUBLE))
                        .addi(z.castTo(DataType.DOUBLE));
                INDArray per = Tensors.rowSquaredNorms(r).muli(0.5);
                return new Loss(per.meanNumber().doubleValue(), per, Tensors.scaleRows(r, sigmas.castTo(DataType.DOUBLE)));
            }
        };
    }
}
