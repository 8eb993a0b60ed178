// A study as a single-file Java program: denoising vs sliced score matching on the rings, each sampled with annealed
// Langevin dynamics and the EDM sampler. Run it with score4j's class path (see docs/java-api.md):
//   java --add-modules jdk.incubator.vector -cp "$(./score4j classpath)" examples/scripts/RingsStudy.java
import java.nio.file.Path;
import org.score4j.core.lib.Score4j;
import org.score4j.core.lib.StudyResult;

public class RingsStudy {
    public static void main(String[] args) {
        int steps = Integer.getInteger("steps", 2000);
        StudyResult table = Score4j.study("rings-objectives-samplers")
                .base(Score4j.run().data("rings").sampler("annealed-langevin").set("train.steps", steps).set("model.hidden", 128)
                        .set("schedule.sigma-max", 10).set("schedule.sigma-min", 0.05).set("schedule.levels", 12)
                        .set("sampler.step-size", 0.0005).set("sample.count", 1000))
                .vary("objective.name", "dsm", "ssm-vr")
                .vary("sampler.name", "annealed-langevin", "edm")
                .seeds(1)
                .metric("sliced W2", "samples.sliced_wasserstein2")
                .metric("floor", "samples.sliced_wasserstein2_data_floor")
                .metric("MMD²", "samples.mmd2_rbf")
                .out(Path.of(System.getProperty("out", "runs/study-rings-script")))
                .run();
        System.out.print(table.markdown());
        System.out.println("figure: " + table.directory().resolve("metric.png"));
    }
}
