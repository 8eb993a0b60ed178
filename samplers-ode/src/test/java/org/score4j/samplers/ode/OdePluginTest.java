package org.score4j.samplers.ode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.testkit.PluginContract;

class OdePluginTest {

    @Test
    void thePluginIsWellFormed() {
        OdePlugin plugin = new OdePlugin();
        PluginContract.assertWellFormed(plugin);
        assertThat(plugin.samplers()).extracting(SamplerFactory::name)
                .containsExactly("probability-flow", "dpm-solver-pp-2m");
    }
}
