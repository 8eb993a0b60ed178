package org.score4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.score4j.spark.SparkCli.assertSameStudy;
import static org.score4j.spark.SparkCli.lossColumns;
import static org.score4j.spark.SparkCli.score4j;
import static org.score4j.spark.SparkCli.with;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark engine in Spark's local mode (local[2]): the same results as the local engine. */
class SparkEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SPARK = {"--engine", "spark", "--master", "local[2]", "--conf", "spark.ui.enabled=false"};

    @TempDir
    Path tmp;

    @Test
    void aStudyOnSparkGivesTheLocalTableAndKeepsFailedCells() throws IOException {
        // Two models (one diverges at once) sampled by two samplers, two seeds: 8 cells, 4 Spark tasks.
        SparkCli.Both both = SparkCli.ablate(tmp, """
                study {
                  name = spark-vs-local
                  base { train.steps = 150, train.log-every = 50, sample.count = 200 }
                  grid { optimizer.learning-rate = [0.001, 1e12], sampler.name = [langevin, annealed-langevin] }
                  seeds = [1, 2]
                  metrics = [ { name = "small-mode weight", path = "samples.mode_weights.0" } ]
                }
                """, "spark", SPARK);
        SparkCli.Result local = both.local();
        SparkCli.Result spark = both.remote();
        Path study = tmp.resolve("study.conf");

        assertThat(local.code()).as(local.err()).isEqualTo(1);
        assertThat(spark.code()).as(spark.err()).isEqualTo(1);
        assertThat(spark.err()).contains("spark engine on local[2]", "[8/8]", "FAILED: training failed: training diverged");
        assertThat(assertSameStudy(tmp.resolve("local"), tmp.resolve("spark"), 8)).isEqualTo(4);

        // A rerun keeps the finished cells and retries the failed ones, on Spark too.
        SparkCli.Result again = score4j(with(new String[] {"ablate", "-c", study.toString(), "-o", tmp.resolve("spark").toString()}, SPARK));
        assertThat(again.err()).contains("8 cells: 4 finished earlier, 4 to run on 2 models");
        assertThat(Files.readString(tmp.resolve("spark/summary.csv"))).isEqualTo(Files.readString(tmp.resolve("local/summary.csv")));
    }

    @Test
    void samplingSplitAcrossExecutorsEqualsOneProcessBitForBit() throws IOException {
        // 5 tasks over 2 slots.
        SparkCli.assertSamplingEqualsLocal(tmp, SPARK);
    }

    @Test
    void oneShardTrainsExactlyAsTheLocalEngineWithAndWithoutAveraging() throws IOException {
        String[] run = {"run", "--set", "train.steps=100", "--set", "sample.count=200", "--set", "train.checkpoint-every=50"};
        SparkCli.Result local = score4j(with(run, "-o", tmp.resolve("local").toString()));
        assertThat(local.code()).as(local.err()).isZero();
        // Every step's gradient on the driver, then rounds of 10 local steps whose training state comes back.
        for (String every : new String[] {"1", "10"}) {
            Path out = tmp.resolve("spark-" + every);
            SparkCli.Result spark = score4j(with(with(run, "-o", out.toString()), "--engine", "spark", "--master", "local[1]",
                    "--conf", "spark.ui.enabled=false", "--conf", "score4j.average-every=" + every));
            assertThat(spark.code()).as(spark.err()).isZero();
            assertThat(lossColumns(out.resolve("train-log.csv"))).isEqualTo(lossColumns(tmp.resolve("local/train-log.csv")));
            assertThat(Files.readString(out.resolve("samples.csv"))).isEqualTo(Files.readString(tmp.resolve("local/samples.csv")));
        }
    }

    @Test
    void theImageUnetTrainsDataParallelAndSamplesWithItsTrajectory() throws IOException {
        String[] tiny = {"train", "--set", "data.name=digits", "--set", "data.count=300", "--set", "data.held-out=100",
            "--set", "model.name=ncsn-unet", "--set", "model.channels=4", "--set", "model.multipliers=[1,2]",
            "--set", "train.steps=6", "--set", "train.batch-size=8", "--set", "train.log-every=2", "--set", "train.checkpoint-every=6",
            "--set", "schedule.sigma-max=10", "--set", "schedule.sigma-min=0.05", "--set", "schedule.levels=4",
            "--set", "sampler.step-size=1e-4", "--set", "eval.reference-samples=100"};
        SparkCli.Result local = score4j(with(tiny, "-o", tmp.resolve("local").toString()));
        SparkCli.Result one = score4j(with(with(tiny, "-o", tmp.resolve("one").toString()), "--engine", "spark", "--master",
                "local[1]", "--conf", "spark.ui.enabled=false"));
        SparkCli.Result two = score4j(with(with(tiny, "-o", tmp.resolve("two").toString()), with(SPARK, "--conf",
                "score4j.average-every=3")));
        assertThat(local.code()).as(local.err()).isZero();
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(two.code()).as(two.err()).isZero();
        assertThat(lossColumns(tmp.resolve("one/train-log.csv"))).isEqualTo(lossColumns(tmp.resolve("local/train-log.csv")));
        assertThat(two.err()).contains("training data-parallel on 2 shards of each batch of 8 (parameters averaged every 3 steps");
        assertThat(lossColumns(tmp.resolve("two/train-log.csv"))).hasSize(4);

        // Its samples on two tasks, and the trajectory grid that the first task records: as in one process.
        String[] sample = {"sample", "--from", tmp.resolve("local").toString(), "--set", "sample.count=12",
            "--set", "sample.batch-size=6", "--set", "sampler.steps-per-level=2", "--set", "sampler.step-size=1e-4",
            "--set", "sample.low=0", "--set", "sample.high=1"};
        SparkCli.Result here = score4j(with(sample, "-o", tmp.resolve("sampled-here").toString()));
        SparkCli.Result there = score4j(with(with(sample, "-o", tmp.resolve("sampled-there").toString()), SPARK));
        assertThat(here.code()).as(here.err()).isZero();
        assertThat(there.code()).as(there.err()).isZero();
        assertThat(Files.readString(tmp.resolve("sampled-there/samples.csv")))
                .isEqualTo(Files.readString(tmp.resolve("sampled-here/samples.csv")));
        assertThat(Files.readAllBytes(tmp.resolve("sampled-there/trajectory.png")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("sampled-here/trajectory.png")));
    }

    @Test
    void averagingStopsADivergingRunAtTheStepThatDiverged() throws IOException {
        // A learning rate that blows up after a few rounds: the step named is where a replica met it.
        SparkCli.Result r = score4j(with(new String[] {"train", "-o", tmp.resolve("d").toString(), "--set", "train.steps=200",
            "--set", "train.checkpoint-every=10", "--set", "optimizer.learning-rate=1e12", "--conf", "score4j.average-every=5"},
                SPARK));
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).containsPattern("training diverged at step \\d+").contains("Try a smaller optimizer.learning-rate");
    }

    @Test
    @Tag("quality")
    void dataParallelTrainingOnTwoShardsRecoversTheModeWeights() throws IOException {
        SparkCli.Result r = score4j(with(new String[] {"run", "-o", tmp.resolve("dp").toString()}, SPARK));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode m = JSON.readTree(tmp.resolve("dp/metrics.json").toFile());
        assertThat(m.at("/samples/mode_weights/0").asDouble()).isBetween(0.17, 0.23);
        assertThat(m.at("/train/steps").asLong()).isEqualTo(4000);
    }

    @Test
    void mistakesAreNamed() {
        SparkCli.Result unknown = score4j("run", "-o", tmp.resolve("w").toString(), "--engine", "flink");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown engine 'flink'; known engines: local, spark");
        SparkCli.Result master = score4j("run", "--master", "local[2]", "-o", tmp.resolve("x").toString());
        assertThat(master.code()).isEqualTo(2);
        assertThat(master.err()).contains("--master is a setting of an engine; add --engine spark");
        SparkCli.Result shards = score4j(with(new String[] {"run", "-o", tmp.resolve("y").toString(), "--conf", "score4j.shards=zero"}, SPARK));
        assertThat(shards.code()).isEqualTo(2);
        assertThat(shards.err()).contains("--conf score4j.shards expects the number of shards of a training step (≥ 1), got 'zero'");
        SparkCli.Result every = score4j(with(new String[] {"run", "-o", tmp.resolve("v").toString(), "--conf",
            "score4j.average-every=7"}, SPARK));
        assertThat(every.code()).isEqualTo(2);
        assertThat(every.err()).contains("with --conf score4j.average-every=7, train.checkpoint-every (", "must be a multiple of 7");
        SparkCli.Result nobody = score4j("run", "-o", tmp.resolve("n").toString(), "--engine", "spark", "--master",
                "spark://127.0.0.1:1");
        assertThat(nobody.code()).as(nobody.err()).isEqualTo(1);
        assertThat(nobody.err()).contains("cannot reach the Spark master spark://127.0.0.1:1: 127.0.0.1:1 (", "Is it running?");
        SparkCli.Result badMaster = score4j("run", "-o", tmp.resolve("z").toString(), "--engine", "spark", "--master", "nowhere://x");
        assertThat(badMaster.code()).isEqualTo(2);
        assertThat(badMaster.err()).contains("--master expects local, local[N]", "got 'nowhere://x'");
    }
}
