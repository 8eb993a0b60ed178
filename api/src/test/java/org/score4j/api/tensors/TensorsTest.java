package org.score4j.api.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TensorsTest {
    private static final float[] VALUES = {1.5f, -2.25f, 3f, 0.125f, -7f, 1e-30f};

    @Test
    void arraysHoldTheirValuesInCOrderInTheTypeAsked() {
        INDArray floats = Tensors.array(VALUES, DataType.FLOAT, 2, 3);
        assertThat(floats.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(floats.shape()).containsExactly(2, 3);
        assertThat(floats.getFloat(1, 0)).isEqualTo(0.125f);
        assertThat(floats).isEqualTo(Nd4j.create(VALUES, new long[] {2, 3}, 'c'));

        double[] doubles = {1.0 / 3, -2.5, 1e-300};
        INDArray d = Tensors.array(doubles, DataType.DOUBLE, 3);
        assertThat(d.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(d.toDoubleVector()).containsExactly(doubles);
        assertThat(Tensors.array(doubles, DataType.FLOAT, 3, 1).getFloat(0, 0)).isEqualTo((float) (1.0 / 3));
        assertThat(Tensors.array(VALUES, DataType.DOUBLE, 6).getDouble(5)).isEqualTo((double) 1e-30f);
    }

    @Test
    void readsValuesOfAnyLayoutAndType() {
        INDArray a = Tensors.array(VALUES, DataType.FLOAT, 2, 3);
        assertThat(Tensors.floats(a)).containsExactly(VALUES);
        assertThat(Tensors.doubles(a)).containsExactly(1.5, -2.25, 3, 0.125, -7, (double) 1e-30f);
        // A view with an offset, a transposed (Fortran-order) copy and a double array read in C order.
        INDArray secondRow = a.get(NDArrayIndex.point(1), NDArrayIndex.all());
        assertThat(Tensors.floats(secondRow)).containsExactly(0.125f, -7f, 1e-30f);
        assertThat(Tensors.floats(a.dup('f'))).containsExactly(VALUES);
        assertThat(Tensors.floats(a.transpose())).containsExactly(1.5f, 0.125f, -2.25f, -7f, 3f, 1e-30f);
        assertThat(Tensors.doubles(a.castTo(DataType.DOUBLE).get(NDArrayIndex.all(), NDArrayIndex.point(2))))
                .containsExactly(3, (double) 1e-30f);
    }

    @Test
    void emptyArraysAndWrongCounts() {
        assertThat(Tensors.array(new float[0], DataType.FLOAT, 0, 2).shape()).containsExactly(0, 2);
        assertThat(Tensors.floats(Tensors.array(new double[0], DataType.DOUBLE, 0))).isEmpty();
        assertThatThrownBy(() -> Tensors.array(VALUES, DataType.FLOAT, 4, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 values for shape [4, 2]");
    }
}
