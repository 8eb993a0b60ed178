package org.score4j.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A data set that is a finite list of examples (a file, a pool of images) rather than a generative definition, so
 * evaluation can look at every one of them: the memorisation check compares samples with each training example.
 */
public interface FiniteDataset extends Dataset {

    /** The number of examples, ≥ 1. */
    int size();

    /**
     * Examples {@code [from, to)} exactly as stored, without the noise of dequantisation (an 8-bit image's pixel p is
     * p/255), {@code [to − from, shape...]}, FLOAT.
     *
     * @throws IndexOutOfBoundsException unless 0 ≤ from ≤ to ≤ {@link #size()}
     */
    INDArray examples(int from, int to);
}
