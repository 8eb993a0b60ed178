package org.score4j.samplers.sde;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.score4j.api.spi.SamplerFactory;
import org.score4j.testkit.PluginContract;

class SdePluginTest {

    @Test
    void thePluginIsWellFormed() {
        SdePlugin plugin = new SdePlugin();
        PluginContract.assertWellFormed(plugin);
        assertThat(plugin.samplers()).extracting(SamplerFactory::name)
                .containsExactly("reverse-diffusion", "predictor-corrector", "consistent-annealed", "edm");
    }
}
