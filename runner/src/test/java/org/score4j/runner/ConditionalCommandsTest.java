package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.output.RunDirectory;

/** impute, inpaint and class-conditional sampling through the command line, on small quickly trained models. */
class ConditionalCommandsTest {
    @TempDir
    Path dir;

    @Test
    void imputeFillsTheEmptyCellsOfACsvFromTheModesTheModelLearned() throws Exception {
        var trained = Score4jProcess.inProcess(dir, "train", "-o", "mix", "--set", "train.steps=1500",
                "--set", "model.hidden=64", "--set", "eval.plots=false", "--set", "eval.fisher-samples=200");
        assertThat(trained.exitCode()).as(trained.all()).isZero();
        StringBuilder csv = new StringBuilder("x1,x2\n5,\n-5,NaN\n,5.2\n");
        for (int i = 0; i < 40; i++) {
            double c = i % 5 == 0 ? -5 : 5;
            csv.append(c + 0.3 * Math.sin(i)).append(',').append(c + 0.3 * Math.cos(i)).append('\n');
        }
        Files.writeString(dir.resolve("rows.csv"), csv);
        var r = Score4jProcess.inProcess(dir, "impute", "--from", "mix", "--input", "rows.csv", "--draws", "16",
                "--evaluate", "0.5");
        assertThat(r.exitCode()).as(r.all()).isZero();
        List<String> out = Files.readAllLines(dir.resolve("mix/impute-rows/imputed.csv"));
        assertThat(out.get(0)).isEqualTo("x1,x2");
        assertThat(out).hasSize(44);
        double[] first = parse(out.get(1));
        double[] second = parse(out.get(2));
        double[] third = parse(out.get(3));
        assertThat(first[0]).isEqualTo(5);
        assertThat(first[1]).as("the mode x1 = 5 belongs to").isBetween(3.5, 6.5);
        assertThat(second[1]).as("the mode x1 = −5 belongs to").isBetween(-6.5, -3.5);
        assertThat(third[0]).isBetween(3.5, 6.5);
        JsonNode metrics = RunDirectory.readJson(dir.resolve("mix/impute-rows/metrics.json"));
        assertThat(metrics.at("/imputation/missing_cells").asInt()).isEqualTo(3);
        JsonNode e = metrics.path("evaluation");
        assertThat(e.path("rows").asInt()).isEqualTo(40);
        assertThat(e.path("rmse_score_model").asDouble()).as(e.toString())
                .isLessThan(e.path("rmse_column_mean").asDouble());
        assertThat(r.out()).contains("RMSE on").contains("score model");

        var wrongWidth = Score4jProcess.inProcess(dir, "impute", "--from", "mix", "--input", "three.csv");
        assertThat(wrongWidth.exitCode()).isEqualTo(2);
        Files.writeString(dir.resolve("three.csv"), "1,2,\n");
        wrongWidth = Score4jProcess.inProcess(dir, "impute", "--from", "mix", "--input", "three.csv", "-o", "x");
        assertThat(wrongWidth.err()).contains("three.csv has 3 columns, but the run").contains("shape [2]");
    }

    @Test
    void inpaintAndClassConditionalSamplingOnSmallDigits() throws Exception {
        String[] small = {"--set", "data.name=digits", "--set", "data.size=8", "--set", "data.count=2000",
                "--set", "data.held-out=200", "--set", "model.hidden=128", "--set", "train.steps=300",
                "--set", "train.conditional=true", "--set", "schedule.sigma-max=3", "--set", "schedule.sigma-min=0.05",
                "--set", "sampler.step-size=0.0005", "--set", "sampler.steps-per-level=10", "--set", "sample.count=60",
                "--set", "sample.low=0", "--set", "sample.high=1", "--set", "sample.class=each",
                "--set", "sample.guidance=1", "--set", "eval.fisher-samples=50"};
        String[] args = new String[small.length + 3];
        args[0] = "run";
        args[1] = "-o";
        args[2] = "digits";
        System.arraycopy(small, 0, args, 3, small.length);
        var run = Score4jProcess.inProcess(dir, args);
        assertThat(run.exitCode()).as(run.all()).isZero();
        JsonNode c = RunDirectory.readJson(dir.resolve("digits/metrics.json")).path("conditional");
        assertThat(c.path("class").asText()).isEqualTo("each");
        assertThat(c.path("guidance").asDouble()).isEqualTo(1.0);
        assertThat(c.path("class_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(c.path("samples_per_class")).hasSize(10);
        assertThat(c.path("samples_per_class").get(3).asInt()).isEqualTo(6);

        var inpaint = Score4jProcess.inProcess(dir, "inpaint", "--from", "digits", "--mask", "box", "--fraction", "0.3",
                "--count", "8");
        assertThat(inpaint.exitCode()).as(inpaint.all()).isZero();
        assertThat(dir.resolve("digits/inpaint-box/inpainting.png")).isNotEmptyFile();
        JsonNode m = RunDirectory.readJson(dir.resolve("digits/inpaint-box/metrics.json")).path("inpainting");
        assertThat(m.path("images").asInt()).isEqualTo(8);
        assertThat(m.path("source").asText()).isEqualTo("held-out images");
        assertThat(m.path("rmse_filled_pixels").asDouble()).isBetween(0.0, 1.0);
        assertThat(m.path("classifier_agreement").asDouble()).isBetween(0.0, 1.0);

        var bad = Score4jProcess.inProcess(dir, "inpaint", "--from", "digits", "--mask", "circle");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown mask 'circle'; known: half, box, random");
        var unconditional = Score4jProcess.inProcess(dir, "train", "-o", "u", "--set", "train.steps=2",
                "--set", "sample.class=3");
        assertThat(unconditional.exitCode()).isEqualTo(2);
        assertThat(unconditional.err()).contains("sample.class: class-conditional samples need a class-conditional model");
    }

    private static double[] parse(String line) {
        return java.util.Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
