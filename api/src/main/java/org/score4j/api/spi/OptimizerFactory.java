package org.score4j.api.spi;

import org.score4j.api.Optimizer;

/** A named factory of optimizers, selected by the {@code name} key of the {@code optimizer} section. */
public interface OptimizerFactory extends ComponentFactory<Optimizer> {
}
