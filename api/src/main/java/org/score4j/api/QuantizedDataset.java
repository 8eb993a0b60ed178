package org.score4j.api;

/**
 * A data set whose values are quantised to {@link #levels()} steps, as 8-bit images are (256). Its examples are either
 * uniformly dequantised, x = (p + u)/levels with u ~ U[0, 1) drawn afresh for every value of every draw, which gives the
 * data a density on [0, 1)^D (so a negative log-likelihood in bits per dimension compares with the literature's), or
 * the stored values p/(levels − 1), which have no density.
 */
public interface QuantizedDataset extends Dataset {

    /** The number of levels a stored value takes, ≥ 2. */
    int levels();

    /** Whether {@link #sample} returns uniformly dequantised values (p + u)/levels rather than p/(levels − 1). */
    boolean dequantized();
}
