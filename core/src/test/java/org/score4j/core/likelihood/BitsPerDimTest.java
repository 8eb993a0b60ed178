package org.score4j.core.likelihood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BitsPerDimTest {

    @Test
    void theUniformDensityOnTheUnitCubeIsEightBitsPerDimension() {
        // p(x) = 1 on [0, 1)^D: NLL 0, and the dequantised pixels y = 256·x are uniform on [0, 256)^D, 8 bits each.
        assertThat(BitsPerDim.fromNats(0, 784)).isCloseTo(8, within(1e-12));
        // Twice as dense (half the cube): one bit fewer per dimension over D = 1 dimension.
        assertThat(BitsPerDim.fromNats(-Math.log(2), 1)).isCloseTo(7, within(1e-12));
        assertThat(BitsPerDim.toNats(BitsPerDim.fromNats(-1234.5, 3072), 3072)).isCloseTo(-1234.5, within(1e-9));
    }

    @Test
    void aResultConvertsItsMeanAndStandardErrorTheSameWay() {
        LikelihoodResult r = LikelihoodResult.of(new double[] {-100, -200, Double.NaN}, new double[3], new double[3],
                10, 30, List.of(), 0.5);
        assertThat(r.mean()).isEqualTo(-150);
        assertThat(r.finishedExamples()).isEqualTo(2);
        assertThat(r.standardError()).isCloseTo(50, within(1e-12));
        assertThat(r.meanBitsPerDim(64)).isEqualTo(BitsPerDim.fromNats(-150, 64));
        assertThat(r.standardErrorBitsPerDim(64)).isCloseTo(50 / (64 * Math.log(2)), within(1e-12));
    }
}
