package org.score4j.api.ode;

/**
 * The right-hand side f(t, y) of an ODE dy/dt = f(t, y).
 *
 * @param <S> the state: an {@code INDArray} or {@code double[][]} rows
 */
@FunctionalInterface
public interface Derivative<S> {

    /**
     * @param t the time (for samplers, the noise level σ)
     * @param y the state; must not be modified
     * @return dy/dt, a new value with the shape of {@code y}
     */
    S at(double t, S y);
}
