package org.score4j.core.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.score4j.api.ScoreFunction;
import org.score4j.api.mixture.GaussianMixture;
import org.score4j.api.mixture.MixtureDataset;
import org.score4j.api.random.SeededRandom;
import org.score4j.api.random.Seeds;
import org.score4j.core.RunProgress;
import org.score4j.core.config.ComponentSlot;
import org.score4j.core.config.EvalSettings;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plots.Plots;
import org.score4j.core.training.TrainingResult;
import org.score4j.core.config.ResolvedRun;

/** Measures a run (samples against fresh data; the learned score against the exact one) and draws its plots. */
public final class Evaluation {
    private Evaluation() {
    }

    /**
     * @param samples  the samples, or null when the run only trained
     * @param training the training result, or null when the run only sampled
     * @return the metrics, in the order they are written to {@code metrics.json}
     */
    public static Map<String, Object> evaluate(ResolvedRun run, ScoreFunction score, INDArray samples,
                                               TrainingResult training, double samplingSeconds, RunDirectory out,
                                               RunProgress progress) {
        EvalSettings e = run.eval();
        Map<String, Object> m = new LinkedHashMap<>();
        Optional<GaussianMixture> mixture = run.data() instanceof MixtureDataset known ? Optional.of(known.mixture())
                : Optional.empty();
        double[][] reference = SampleMetrics.points(run.data().sample(e.referenceSamples(),
                new SeededRandom(Seeds.derive(run.seed(), "reference"))));
        if (training != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("steps", training.steps());
            t.put("seconds", round(training.seconds()));
            t.put("examples_per_second", round(training.steps() * run.train().batchSize() / training.seconds()));
            t.put("final_loss", round(training.finalLoss()));
            List<Map<String, Object>> bins = new ArrayList<>();
            double[] centres = training.binCentres();
            double[] loss = training.binLoss();
            for (int i = 0; i < centres.length; i++) {
                bins.add(fields("sigma", round(centres[i]), "loss", round(loss[i])));
            }
            t.put("loss_per_sigma_bin", bins);
            t.put("data_scale", round(training.dataScale()));
            m.put("train", t);
        }
        if (samples != null) {
            double[][] s = SampleMetrics.points(samples);
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("sampler", run.name(ComponentSlot.SAMPLER));
            q.put("count", s.length);
            q.put("seed", run.seed());
            q.put("score_evaluations_at_most", run.sampler().evaluations(run.grid()));
            q.put("seconds", round(samplingSeconds));
            q.put("reference_samples", reference.length);
            q.put("projections", e.projections());
            mixture.ifPresent(g -> {
                double[] w = SampleMetrics.modeWeights(g, samples);
                double[] expected = g.weights();
                double err = 0;
                for (int i = 0; i < w.length; i++) {
                    err = Math.max(err, Math.abs(w[i] - expected[i]));
                }
                q.put("mode_weights", round(w));
                q.put("expected_mode_weights", round(expected));
                q.put("mode_weight_max_error", round(err));
            });
            double[][] fresh = SampleMetrics.points(run.data().sample(s.length,
                    new SeededRandom(Seeds.derive(run.seed(), "floor"))));
            long swSeed = Seeds.derive(run.seed(), "projections");
            q.put("sliced_wasserstein2", round(SampleMetrics.slicedWasserstein(s, reference, e.projections(), swSeed)));
            q.put("sliced_wasserstein2_data_floor",
                    round(SampleMetrics.slicedWasserstein(fresh, reference, e.projections(), swSeed)));
            double bandwidth = SampleMetrics.medianDistance(reference);
            q.put("mmd2_rbf", round(SampleMetrics.mmd(s, reference, bandwidth)));
            q.put("mmd2_rbf_data_floor", round(SampleMetrics.mmd(fresh, reference, bandwidth)));
            q.put("mmd_bandwidth", round(bandwidth));
            q.put("data_distance", round(SampleMetrics.nearestDistance(s, reference)));
            q.put("data_distance_floor", round(SampleMetrics.nearestDistance(fresh, reference)));
            q.put("non_finite", 0);
            m.put("samples", q);
        }
        mixture.ifPresent(g -> {
            List<Map<String, Object>> f = new ArrayList<>();
            for (SampleMetrics.FisherAtLevel l : SampleMetrics.fisher(score, g, run.schedule(), e.fisherSamples(),
                    Seeds.derive(run.seed(), "fisher"))) {
                f.add(fields("sigma", round(l.sigma()), "fisher", round(l.fisher()), "relative", round(l.relative())));
            }
            m.put("fisher_divergence", f);
            List<Map<String, Object>> binned = new ArrayList<>();
            for (SampleMetrics.DensityBinnedError b : SampleMetrics.scoreErrorByDensity(score, g, run.schedule(),
                    run.sample().low(), run.sample().high(), e.fisherSamples(), Seeds.derive(run.seed(), "density-bins"))) {
                Map<String, Object> level = new LinkedHashMap<>();
                level.put("sigma", round(b.sigma()));
                level.put("high", round(b.high()));
                level.put("medium", round(b.medium()));
                level.put("low", round(b.low()));
                level.put("points", fields("high", b.count()[0], "medium", b.count()[1], "low", b.count()[2]));
                binned.add(level);
            }
            Map<String, Object> byDensity = new LinkedHashMap<>();
            byDensity.put("bins", "relative error sum|s - s*|^2 / sum|s*|^2 where the clean data density is high "
                    + "(>= the median of the data's own), medium (>= their 1% quantile) or low (below)");
            byDensity.put("largest_sigma", binned.get(0));
            byDensity.put("smallest_sigma", binned.get(binned.size() - 1));
            byDensity.put("levels", binned);
            m.put("score_error_by_density", byDensity);
        });
        if (samples != null && run.sample().conditional() && run.data() instanceof org.score4j.api.LabelledDataset labelled) {
            int[] intended = org.score4j.core.sampling.ChainSampling.labels(run.sample(), 0, (int) samples.size(0),
                    labelled.classes());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("class", run.sample().classLabel() == org.score4j.core.config.SampleSettings.EACH_CLASS ? "each"
                    : run.sample().classLabel());
            c.put("guidance", run.sample().guidance());
            c.putAll(ImageMetrics.conditional(samples, intended, labelled, run.seed()));
            m.put("conditional", c);
        }
        long[] shape = run.data().exampleShape();
        int likelihoodExamples = e.likelihood().examplesFor(shape);
        if (likelihoodExamples > 0) {
            String refusal = HeldOutLikelihood.refusal(run);
            m.put("likelihood", refusal != null ? fields("skipped", refusal) : HeldOutLikelihood.measure(run, score,
                    HeldOutLikelihood.examples(run, likelihoodExamples), progress).metrics());
        }
        boolean images = shape.length == 3;
        if (images) {
            Map<String, Object> img = new LinkedHashMap<>();
            img.put("denoising", ImageMetrics.denoising(score, run.data(), run.schedule(), run.seed()));
            if (samples != null) {
                img.putAll(ImageMetrics.samples(samples, run.data(), run.seed(), FeatureClassifier.defaultCache()));
            }
            m.put("images", img);
        }
        boolean plane = shape.length == 1 && shape[0] == 2;
        if (e.plots() && (images || plane)) {
            try {
                if (images) {
                    if (samples != null) {
                        if (run.sample().classLabel() == org.score4j.core.config.SampleSettings.EACH_CLASS
                                && run.data() instanceof org.score4j.api.LabelledDataset labelled) {
                            int classes = labelled.classes();
                            int columns = (int) Math.min(10, samples.size(0) / classes);
                            Plots.imageGrid(out.file("samples.png"), byClass(samples, classes, columns), columns, 2);
                        } else {
                            Plots.imageGrid(out.file("samples.png"), head(samples, 64), 8, 2);
                        }
                    }
                    Plots.imageGrid(out.file("data.png"), run.data().sample(64,
                            new SeededRandom(Seeds.derive(run.seed(), "data-grid"))), 8, 2);
                } else {
                    if (samples != null) {
                        Plots.scatter(out.file("samples.png"), "samples (" + run.name(ComponentSlot.SAMPLER)
                                + ") over the data density", SampleMetrics.points(samples), reference);
                    }
                    Plots.scoreField(out.file("score-field.png"), score, mixture.map(GaussianMixture::exactScore),
                            run.schedule(), reference);
                }
                if (training != null) {
                    Plots.lossCurve(out.file("loss.png"), training.curve());
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot draw the plots in " + out.path(), ex);
            }
        }
        return m;
    }

    /** Chain k has class k mod C: row c of the grid holds class c's first {@code columns} samples. */
    private static INDArray byClass(INDArray samples, int classes, int columns) {
        long[] rows = new long[classes * columns];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < columns; j++) {
                rows[c * columns + j] = c + (long) classes * j;
            }
        }
        return samples.get(org.nd4j.linalg.indexing.NDArrayIndex.indices(rows));
    }

    private static INDArray head(INDArray batch, int n) {
        return batch.size(0) <= n ? batch : batch.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
    }

    static double round(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return v;
        }
        double scale = Math.pow(10, 6 - Math.ceil(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    private static double[] round(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = round(v[i]);
        }
        return out;
    }

    /**
     * A JSON object with its keys in the order given ({@code Map.of} iterates in an order that changes from one JVM to
     * the next, and metrics.json must read the same wherever it was written).
     */
    public static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
