package org.score4j.core.likelihood;

/**
 * The one conversion between a likelihood in nats and bits per dimension, for 8-bit images.
 *
 * <p><b>Convention.</b> Pixels p ∈ {0, …, 255} are dequantised uniformly and scaled into [0, 1): x = (p + u)/256 with
 * u ~ U[0, 1) (the data sets' {@code dequantize = true}). A density p(x) on [0, 1)^D is the density 256^(−D)·p(x) of
 * the dequantised pixels y = 256·x on [0, 256)^D, whose negative log-likelihood in nats is NLL + D·ln 256; per
 * dimension and in bits:
 * <pre>bits/dim = (NLL + D·ln 256) / (D·ln 2) = NLL/(D·ln 2) + 8</pre>
 * with NLL = −log p(x) in nats of the data as the model saw it, in [0, 1). It bounds the discrete model's bits/dim
 * from above (Theis et al. 2016). Data scaled otherwise (p/255 with {@code dequantize = false}, or [−1, 1]) is not on
 * this scale: convert it to (p + u)/256 first or add its own log-Jacobian.
 */
public final class BitsPerDim {
    /** Levels of an 8-bit pixel: the 256 in x = (p + u)/256. */
    public static final int LEVELS = 256;

    private BitsPerDim() {
    }

    /**
     * @param nats       −log p(x) of one example in [0, 1)^D, in nats
     * @param dimensions D, the values per example (channels × height × width)
     * @return bits per dimension of the dequantised 8-bit data
     */
    public static double fromNats(double nats, long dimensions) {
        if (dimensions < 1) {
            throw new IllegalArgumentException("need at least one dimension, got " + dimensions);
        }
        return (nats + dimensions * Math.log(LEVELS)) / (dimensions * Math.log(2));
    }

    /** The inverse of {@link #fromNats}: −log p(x) in nats of data in [0, 1)^D. */
    public static double toNats(double bitsPerDim, long dimensions) {
        if (dimensions < 1) {
            throw new IllegalArgumentException("need at least one dimension, got " + dimensions);
        }
        return bitsPerDim * dimensions * Math.log(2) - dimensions * Math.log(LEVELS);
    }
}
