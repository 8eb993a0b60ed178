package org.score4j.api;

import java.util.List;
import org.score4j.api.random.RandomSource;

/**
 * A data set whose examples carry a class label (the digit an image shows, a CSV's label column): what conditional
 * models train on.
 */
public interface LabelledDataset extends Dataset {

    /** The number of classes C ≥ 1; labels are in [0, C). */
    int classes();

    /**
     * Draws examples as {@link #sample} does, with their labels: the same draws for the same random source, so
     * {@code sampleLabelled(n, rng).examples()} equals {@code sample(n, rng')} for a fresh {@code rng'} of the same seed.
     */
    Labelled sampleLabelled(int n, RandomSource rng);

    /** A name per class for tables and figures ("0" … "9" by default). */
    default List<String> classNames() {
        return java.util.stream.IntStream.range(0, classes()).mapToObj(Integer::toString).toList();
    }
}
