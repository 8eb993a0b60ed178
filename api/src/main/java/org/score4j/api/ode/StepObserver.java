package org.score4j.api.ode;

/**
 * Told of every step an integrator accepts.
 *
 * @param <S> the state type
 */
@FunctionalInterface
public interface StepObserver<S> {

    /**
     * @param t           the time the step reached
     * @param y           the state at {@code t}, a copy the observer owns for this call: it may read it and may change it
     *                    in place, and the integration then continues from what it finds there (re-evaluating the
     *                    derivative, one evaluation more); a value left unchanged continues in full double precision
     * @param evaluations derivative evaluations so far
     */
    void accepted(double t, S y, long evaluations);

    /** An observer that does nothing (and costs nothing: the integrator makes no copy for it). */
    @SuppressWarnings("unchecked")
    static <S> StepObserver<S> none() {
        return (StepObserver<S>) Nothing.INSTANCE;
    }

    /** The one do-nothing observer, recognised by the integrator. */
    enum Nothing implements StepObserver<Object> {
        INSTANCE;

        @Override
        public void accepted(double t, Object y, long evaluations) {
        }
    }
}
