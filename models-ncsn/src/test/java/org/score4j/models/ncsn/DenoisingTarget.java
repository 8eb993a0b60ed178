package org.score4j.models.ncsn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.NoiseSchedule;
import org.score4j.api.Objective;

/** DSM at a level drawn per example, with λ = σ², written out here so the model test needs no plugin. */
final class DenoisingTarget implements Objective {
    @Override
    public Batch prepare(INDArray data, NoiseSchedule schedule, org.score4j.api.random.RandomSource rng) {
        int n = (int) data.size(0);
        int[] levels = rng.integers(n, schedule.size());
        double[] sig = new double[n];
        for (int i = 0; i < n; i++) {
            sig[i] = schedule.sigma(levels[i]);
        }
        INDArray sigmas = org.nd4j.linalg.factory.Nd4j.createFromArray(sig).castTo(DataType.FLOAT);
        INDArray z = rng.normal(data.shape());
        INDArray inputs = data.add(org.score4j.api.Tensors.scaleRows(z, sigmas));
        return new Batch() {
            public INDArray inputs() {
                return inputs;
            }

            public INDArray sigmas() {
                return sigmas;
            }

            public int[] levels() {
                return levels;
            }

            public org.score4j.api.Loss loss(INDArray scores) {
                // ½‖σ s + z‖² per example
                INDArray r = org.score4j.api.Tensors.scaleRows(scores.castTo(DataType.DOUBLE), sigmas.castTo(DataType.DOUBLE))
                        .addi(z.castTo(DataType.DOUBLE));
                INDArray per = org.score4j.api.Tensors.rowSquaredNorms(r).muli(0.5);
                return new org.score4j.api.Loss(per.meanNumber().doubleValue(), per,
                        org.score4j.api.Tensors.scaleRows(r, sigmas.castTo(DataType.DOUBLE)));
            }
        };
    }
}
