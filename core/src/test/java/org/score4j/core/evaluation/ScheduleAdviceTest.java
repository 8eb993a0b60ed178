package org.score4j.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class ScheduleAdviceTest {
    @Test
    void theOverlapRatioMatchesTheCriterionAndShrinksWithTheDimension() {
        double cifar = ScheduleAdvice.overlapRatio(3072);
        assertThat(ScheduleAdvice.overlap(cifar, 3072)).isCloseTo(0.5, offset(1e-9));
        // NCSNv2 used 232 levels from 50 to 0.01 on CIFAR-10, γ = (50/0.01)^(1/231) ≈ 1.0376; the criterion solved
        // exactly gives 1.0398 (219 levels).
        assertThat(cifar).isCloseTo(Math.pow(5000, 1.0 / 231), offset(0.003));
        assertThat(ScheduleAdvice.overlapRatio(784)).isGreaterThan(cifar);
        assertThat(ScheduleAdvice.normalCdf(1.96)).isCloseTo(0.975, offset(1e-4));
    }

    @Test
    void theStepBringsTheLastLevelsVarianceNearItsTarget() {
        double gamma = Math.pow(5000, 1.0 / 231);
        double a = ScheduleAdvice.referenceStep(gamma, 0.01, 5);
        // NCSNv2 used step_lr = 6.2e-6 for CIFAR-10 with T = 5 and σ_L = 0.01.
        assertThat(a).isBetween(3e-6, 1.2e-5);
        double s2 = 1e-4;
        double here = Math.abs(ScheduleAdvice.finalVariance(a, gamma, s2, 5) - 1);
        assertThat(here).isLessThanOrEqualTo(Math.abs(ScheduleAdvice.finalVariance(a * 2, gamma, s2, 5) - 1))
                .isLessThanOrEqualTo(Math.abs(ScheduleAdvice.finalVariance(a / 2, gamma, s2, 5) - 1));
    }

    @Test
    void sigmaMaxIsTheLargestDistanceAndLevelsSpanTheRange() {
        double[][] data = new double[100][50];
        for (int i = 0; i < 100; i++) {
            data[i][i % 50] = i == 7 ? 3 : 1;
        }
        ScheduleAdvice a = ScheduleAdvice.suggest(data, 0.01, 100);
        assertThat(a.largestDistance()).isCloseTo(Math.sqrt(9 + 1), offset(1e-12));
        assertThat(a.overlapBinds()).isTrue();
        assertThat(Math.pow(a.ratio(), a.levels() - 1)).isGreaterThanOrEqualTo(a.sigmaMax() / a.sigmaMin());
        assertThat(Math.pow(a.ratio(), a.levels() - 2)).isLessThan(a.sigmaMax() / a.sigmaMin());
        assertThat(a.stepSize()).isEqualTo(2 * ScheduleAdvice.referenceStep(a.ratio(), 0.01, 100));
        ScheduleAdvice plane = ScheduleAdvice.suggest(new double[][] {{0, 0}, {3, 4}}, 1, 100);
        assertThat(plane.overlapBinds()).isFalse();
        assertThat(plane.levels()).isEqualTo(10);
        assertThat(plane.sigmaMax()).isEqualTo(5);
    }
}
