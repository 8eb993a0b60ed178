package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.output.RunDirectory;

/**
 * The embedded default is NCSN's mixture experiment with a learned score: annealed Langevin recovers
 * the 1/5 weight of the small mode, plain Langevin with the same network does not.
 */
@Tag("quality")
class NcsnExperimentTest {
    @TempDir
    Path dir;

    @Test
    void learnedScoreWithAnnealingRecoversTheModeWeights() throws Exception {
        var run = Score4jProcess.run(dir, "run", "-o", "default");
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode m = RunDirectory.readJson(dir.resolve("default/metrics.json"));
        assertThat(m.at("/samples/count").asInt()).isEqualTo(1280);
        assertThat(m.at("/samples/mode_weights/0").asDouble()).isCloseTo(0.2, offset(0.03));
        assertThat(m.at("/fisher_divergence").size()).isEqualTo(10);
        for (String f : new String[] {"config.conf", "provenance.json", "samples.csv", "samples.png", "score-field.png",
                "loss.png", "train-log.csv", "checkpoints/step-0000004000.safetensors"}) {
            assertThat(dir.resolve("default").resolve(f)).isNotEmptyFile();
        }

        var plain = Score4jProcess.run(dir, "sample", "--from", "default", "--set", "sampler.name=langevin");
        assertThat(plain.exitCode()).as(plain.all()).isZero();
        JsonNode p = RunDirectory.readJson(dir.resolve("default/sample-langevin/metrics.json"));
        assertThat(p.at("/samples/sampler").asText()).isEqualTo("langevin");
        assertThat(p.at("/samples/mode_weights/0").asDouble()).isGreaterThan(0.35);
    }

    @Test
    void slicedScoreMatchingTrainsANetworkTheAnnealedSamplerCanUse() throws Exception {
        var run = Score4jProcess.run(dir, "run", "-o", "ssm-vr", "--set", "objective.name=ssm-vr");
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode m = RunDirectory.readJson(dir.resolve("ssm-vr/metrics.json"));
        assertThat(m.at("/samples/mode_weights/0").asDouble()).isCloseTo(0.2, offset(0.03));
        assertThat(m.at("/fisher_divergence").size()).isEqualTo(10);
        // Score matching's loss is E[tr ∇s + ½‖s‖²]; for a good fit it is negative (−½ E‖∇ log p‖² at the optimum).
        assertThat(m.at("/train/final_loss").asDouble()).isNegative();
    }
}
