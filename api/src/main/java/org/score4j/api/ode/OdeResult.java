package org.score4j.api.ode;

/**
 * Where an integration ended.
 *
 * @param state       the state at {@link #t()}, a new value
 * @param t           the time reached: the end of the interval when {@link #finished()}, else where it stopped
 * @param outcome     why it stopped
 * @param evaluations derivative evaluations made, never more than the integrator's cap
 * @param accepted    steps accepted
 * @param rejected    steps rejected (their error was above the tolerance, or not finite)
 * @param <S>         the state type
 */
public record OdeResult<S>(S state, double t, Outcome outcome, long evaluations, int accepted, int rejected) {

    /** Why an integration stopped. */
    public enum Outcome {
        /** It reached the end of the interval. */
        FINISHED,
        /** The next step would have gone beyond the cap on derivative evaluations. */
        EVALUATION_CAP,
        /**
         * The step size needed fell below ten units in the last place of t: the derivative is not finite, or changes
         * too fast for the tolerances, near {@link #t()}.
         */
        STEP_TOO_SMALL
    }

    /** Whether the integration reached the end of the interval. */
    public boolean finished() {
        return outcome == Outcome.FINISHED;
    }
}
