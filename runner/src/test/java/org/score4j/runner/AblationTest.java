package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score4j ablate} end to end on a small study with a diverging cell: tables, aggregation over seeds,
 * shared models, figures, failure reporting, and a rerun that skips finished cells and retries the rest.
 */
class AblationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STUDY = """
            study {
              description = "a small study"
              base {
                train { steps = 30, batch-size = 64, checkpoint-every = 10, log-every = 10 }
                model { hidden = 32, layers = 2 }
                sample { count = 200, batch-size = 100 }
                sampler.steps = 200
                eval { reference-samples = 400, fisher-samples = 100, projections = 20 }
              }
              grid {
                optimizer.learning-rate = [0.001, 1e12]
                sampler.name = [langevin, annealed-langevin]
              }
              seeds = [1, 2]
              metrics = [
                { name = "small-mode weight", path = "samples.mode_weights.0" }
                samples.sliced_wasserstein2
                train.final_loss
              ]
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aStudyRunsEveryCellTabulatesThemAndResumes() throws Exception {
        Path study = dir.resolve("small.conf");
        // The langevin sampler's key is sampler.steps; annealed-langevin's is steps-per-level: a study that sets
        // one for both is a mistake, reported before anything runs.
        Files.writeString(study, STUDY);
        Path out = dir.resolve("out");
        var mistake = Score4jProcess.inProcess("ablate", "-c", study.toString(), "-o", out.toString());
        assertThat(mistake.exitCode()).as(mistake.err()).isEqualTo(2);
        assertThat(mistake.err()).contains("nothing was run").contains("in 4 cells (optimizer.learning-rate=0.001, "
                + "sampler.name=annealed-langevin, seed=1, …)").contains("sampler.steps: unknown key");
        assertThat(out.resolve("cells")).doesNotExist();

        Files.writeString(study, STUDY.replace("sampler.steps = 200", ""));
        var first = Score4jProcess.inProcess("ablate", "-c", study.toString(), "-o", out.toString(), "--jobs", "2");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
        assertThat(first.err()).contains("8 cells: 0 finished earlier, 8 to run on 4 models, 2 at a time")
                .contains("[8/8]").contains("4 of 8 cells failed");

        List<String> cells = Files.readAllLines(out.resolve("study.csv"));
        assertThat(cells).hasSize(9);
        assertThat(cells.get(0)).isEqualTo("cell,optimizer.learning-rate,sampler.name,seed,status,small-mode weight,"
                + "samples.sliced_wasserstein2,train.final_loss,error");
        assertThat(cells.stream().filter(l -> l.contains(",finished,"))).hasSize(4);
        assertThat(cells.stream().filter(l -> l.contains(",failed,"))).hasSize(4)
                .allSatisfy(l -> assertThat(l).contains("training diverged at step"));

        // The summary's mean ± std are those of the cells' own metrics.json.
        double[] w = new double[2];
        for (int seed = 1; seed <= 2; seed++) {
            JsonNode m = metrics(out, "optimizer.learning-rate=0.001,sampler.name=langevin,seed=" + seed);
            w[seed - 1] = m.at("/samples/mode_weights/0").doubleValue();
        }
        double mean = (w[0] + w[1]) / 2;
        double std = Math.abs(w[0] - w[1]) / Math.sqrt(2);
        String[] row = Files.readAllLines(out.resolve("summary.csv")).get(1).split(",");
        assertThat(List.of(row).subList(0, 4)).containsExactly("0.001", "langevin", "2", "0");
        assertThat(Double.parseDouble(row[4])).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Double.parseDouble(row[5])).isCloseTo(std, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(w[0]).as("the two seeds give different samples").isNotEqualTo(w[1]);
        String md = Files.readString(out.resolve("summary.md"));
        assertThat(md).contains("# Study: small", "a small study", "Mean ± standard deviation over seeds [1, 2].",
                "| optimizer.learning-rate | sampler.name | small-mode weight | samples.sliced_wasserstein2 | train.final_loss | cells |",
                "| `1000000000000` | `langevin` | — | — | — | 0/2 (2 failed) |", "Failed cells (rerun the study to retry them):",
                "- optimizer.learning-rate=1000000000000, sampler.name=annealed-langevin, seed=2: training failed: training diverged");
        assertThat(first.out()).contains("| `0.001` | `annealed-langevin` |");

        // Cells that differ only in the sampler share one trained network.
        JsonNode langevin = metrics(out, "optimizer.learning-rate=0.001,sampler.name=langevin,seed=1");
        JsonNode annealed = metrics(out, "optimizer.learning-rate=0.001,sampler.name=annealed-langevin,seed=1");
        assertThat(langevin.get("model").asText()).startsWith("models").isEqualTo(annealed.get("model").asText());
        assertThat(langevin.get("train")).isEqualTo(annealed.get("train"));
        assertThat(langevin.at("/train/steps").asInt()).isEqualTo(30);
        assertThat(annealed.at("/samples/sampler").asText()).isEqualTo("annealed-langevin");
        try (Stream<Path> models = Files.list(out.resolve("models"))) {
            assertThat(models).hasSize(4);
        }

        BufferedImage bars = ImageIO.read(out.resolve("metric.png").toFile());
        BufferedImage montage = ImageIO.read(out.resolve("samples.png").toFile());
        assertThat(bars.getHeight()).isGreaterThan(4 * 30);
        assertThat(montage.getWidth()).isEqualTo(2 * 300);

        // A rerun keeps finished cells (and their models) and retries the failed ones; a cell whose metrics were
        // lost runs again from its model's checkpoint without retraining, to the same result.
        Map<Path, FileTime> before = new HashMap<>();
        for (Path p : List.of(out.resolve("cells/optimizer.learning-rate=0.001,sampler.name=langevin,seed=2/metrics.json"),
                Path.of(out.resolve("models").toString(), langevin.get("model").asText().substring("models/".length()),
                        "metrics.json"))) {
            before.put(p, Files.getLastModifiedTime(p));
        }
        Path lost = out.resolve("cells/optimizer.learning-rate=0.001,sampler.name=annealed-langevin,seed=1/metrics.json");
        Files.delete(lost);
        var second = Score4jProcess.inProcess("ablate", "-c", study.toString(), "-o", out.toString());
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.err()).contains("8 cells: 3 finished earlier, 5 to run on 3 models, 1 at a time");
        before.forEach((p, t) -> assertThat(uncheckedTime(p)).as(p.toString()).isEqualTo(t));
        JsonNode again = JSON.readTree(lost.toFile());
        assertThat(again.at("/samples/mode_weights")).isEqualTo(annealed.at("/samples/mode_weights"));
        assertThat(again.get("fisher_divergence")).isEqualTo(annealed.get("fisher_divergence"));
    }

    private static JsonNode metrics(Path out, String cell) throws Exception {
        return JSON.readTree(out.resolve("cells").resolve(cell).resolve("metrics.json").toFile());
    }

    private static FileTime uncheckedTime(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
