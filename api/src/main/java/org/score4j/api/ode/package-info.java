/**
 * Ordinary differential equations on batches: {@link org.score4j.api.ode.DormandPrince}, the adaptive Runge–Kutta
 * 5(4) integrator that the probability-flow sampler and likelihood computations share. States are
 * {@code INDArray}s (FLOAT or DOUBLE, any shape) or rows of doubles; the integrator itself works in double precision.
 */
package org.score4j.api.ode;
