package org.score4j.api;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-row operations on batches of any rank, shared by objectives, samplers and models. */
public final class Tensors {
    private Tensors() {
    }

    /** A {@code [N, D]} view (or copy, if not c-ordered) of a batch {@code [N, shape...]}. */
    public static INDArray rows(INDArray batch) {
        long n = batch.size(0);
        INDArray c = batch.ordering() == 'c' && !batch.isView() ? batch : batch.dup('c');
        return c.reshape('c', n, c.length() / n);
    }

    /** A new array: row i of {@code batch} times {@code perRow[i]}; {@code perRow} has shape {@code [N]}. */
    public static INDArray scaleRows(INDArray batch, INDArray perRow) {
        INDArray flat = rows(batch).mulColumnVector(column(perRow, batch));
        return flat.reshape('c', batch.shape());
    }

    /** A new array: row i of {@code batch} divided by {@code perRow[i]}. */
    public static INDArray divideRows(INDArray batch, INDArray perRow) {
        INDArray flat = rows(batch).divColumnVector(column(perRow, batch));
        return flat.reshape('c', batch.shape());
    }

    /** The sum over each row of {@code batch}'s squares, shape {@code [N]}. */
    public static INDArray rowSquaredNorms(INDArray batch) {
        INDArray flat = rows(batch);
        return flat.mul(flat).sum(1);
    }

    /** True if every value is finite (one reduction: any NaN or infinity makes the sum non-finite). */
    public static boolean allFinite(INDArray a) {
        return Double.isFinite(a.sumNumber().doubleValue());
    }

    private static INDArray column(INDArray perRow, INDArray batch) {
        if (perRow.length() != batch.size(0)) {
            throw new IllegalArgumentException("need one value per row: " + perRow.length() + " values for "
                    + batch.size(0) + " rows");
        }
        return perRow.reshape(batch.size(0), 1).castTo(batch.dataType());
    }
}
