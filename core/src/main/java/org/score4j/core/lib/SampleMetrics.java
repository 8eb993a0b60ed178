package org.score4j.core.lib;

import java.util.Map;

/**
 * How close samples came to the data, as {@code metrics.json}'s {@code samples} section says it; each distance with its
 * floor, the same distance between two fresh data sets of the sample count (what a perfect sampler would reach).
 *
 * @param modeWeights the share of samples nearest each component, for a Gaussian mixture; else null
 */
public record SampleMetrics(int count, double seconds, double slicedWasserstein2, double slicedWasserstein2Floor,
                            double mmd2, double mmd2Floor, double[] modeWeights) {
    public SampleMetrics {
        modeWeights = modeWeights == null ? null : modeWeights.clone();
    }

    @Override
    public double[] modeWeights() {
        return modeWeights == null ? null : modeWeights.clone();
    }

    static SampleMetrics of(Map<String, Object> metrics) {
        if (!(metrics.get("samples") instanceof Map<?, ?> s)) {
            throw new IllegalStateException("the run wrote no sample metrics");
        }
        return new SampleMetrics(((Number) s.get("count")).intValue(), number(s, "seconds"), number(s, "sliced_wasserstein2"),
                number(s, "sliced_wasserstein2_data_floor"), number(s, "mmd2_rbf"), number(s, "mmd2_rbf_data_floor"),
                s.get("mode_weights") instanceof double[] w ? w : null);
    }

    private static double number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
