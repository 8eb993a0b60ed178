package org.score4j.api.spi;

import org.score4j.api.Objective;

/** A named factory of objectives, selected by the {@code name} key of its configuration section. */
public interface ObjectiveFactory extends ComponentFactory<Objective> {
}
