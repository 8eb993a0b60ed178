package org.score4j.spark;

import org.score4j.core.engine.Engine;
import org.score4j.core.engine.EngineProvider;
import org.score4j.core.engine.EngineSettings;

/** {@code --engine spark}: study cells, sampling and data-parallel training as Apache Spark jobs. */
public final class SparkEngineProvider implements EngineProvider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String description() {
        return "Apache Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ": --master local[N] (this machine) or "
                + "spark://host:7077 (a standalone cluster; the launcher ships score4j's jars and plugins/ with the job; "
                + "score4j spark-cluster starts one on this machine); under spark-submit the engine takes its --master";
    }

    @Override
    public java.util.List<Object> commands() {
        return java.util.List.of(new SparkClusterCommand(), new SparkScalingBenchCommand());
    }

    @Override
    public Engine open(EngineSettings settings) {
        return new SparkEngine(settings);
    }
}
