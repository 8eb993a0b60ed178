package org.score4j.api.spi;

import org.score4j.api.Dataset;

/** A named factory of data sets, selected by the {@code name} key of its configuration section. */
public interface DatasetFactory extends ComponentFactory<Dataset> {
}
