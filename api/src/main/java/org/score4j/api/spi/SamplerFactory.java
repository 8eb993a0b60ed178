package org.score4j.api.spi;

import org.score4j.api.Sampler;

/** A named factory of samplers, selected by the {@code name} key of its configuration section. */
public interface SamplerFactory extends ComponentFactory<Sampler> {
}
