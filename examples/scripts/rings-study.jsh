// The same study as RingsStudy.java, typed into JShell (or run as a script). JShell ends a statement at the end of a
// line that completes it, so each line of the chain ends with its dot.
//   jshell --class-path "$(./score4j classpath)" examples/scripts/rings-study.jsh
import java.nio.file.Path;
import org.score4j.core.lib.Score4j;
import org.score4j.core.lib.StudyResult;

int steps = Integer.getInteger("steps", 2000);
StudyResult table = Score4j.study("rings-objectives-samplers").
        base(Score4j.run().data("rings").sampler("annealed-langevin").set("train.steps", steps).set("model.hidden", 128).
                set("schedule.sigma-max", 10).set("schedule.sigma-min", 0.05).set("schedule.levels", 12).
                set("sampler.step-size", 0.0005).set("sample.count", 1000)).
        vary("objective.name", "dsm", "ssm-vr").
        vary("sampler.name", "annealed-langevin", "edm").
        seeds(1).
        metric("sliced W2", "samples.sliced_wasserstein2").
        metric("floor", "samples.sliced_wasserstein2_data_floor").
        metric("MMD²", "samples.mmd2_rbf").
        out(Path.of(System.getProperty("out", "runs/study-rings-jshell"))).
        run();
System.out.print(table.markdown());
System.out.println("figure: " + table.directory().resolve("metric.png"));
/exit
