// Sample quality against sampling time and score evaluations for samplings of one trained image run: the classifier's
// Fréchet distance (and its data floor at the same n) of each sampling's metrics.json, drawn on log scales.
//   jshell --class-path "$(./score4j classpath)" -R-Drun=runs/digits-conditional examples/scripts/time-to-quality.jsh
// Each sampling is a directory written by score4j sample --from RUN -o RUN/<name>; list them with their labels below.
import java.nio.file.Path;
import java.util.*;
import com.fasterxml.jackson.databind.JsonNode;
import org.score4j.core.output.RunDirectory;
import org.score4j.core.plots.ErrorCurves;

Path run = Path.of(System.getProperty("run", "runs/digits-conditional"));
// sampler, directory, its score evaluations (metrics.json's samples.score_evaluations_at_most where it has them)
String[][] samplings = {
    {"annealed-langevin", "ttq-annealed-5", "321"}, {"annealed-langevin", ".", "1281"},
    {"edm (karras)", "ttq-edm-18", "35"}, {"edm (karras)", "ttq-edm-40", "79"},
    {"dpm-solver-pp-2m (karras)", "ttq-dpm-20", "20"}, {"dpm-solver-pp-2m (karras)", "ttq-dpm-50", "50"},
    {"reverse-diffusion", "ttq-reverse-64", "64"}};
Map<String, List<double[]>> points = new LinkedHashMap<>();
double floor = Double.NaN;
System.out.println("| sampler | sampling | score evaluations | seconds | Fréchet distance | class accuracy |");
System.out.println("|---|---|---|---|---|---|");
for (String[] s : samplings) {
    JsonNode m = RunDirectory.readJson(run.resolve(s[1]).resolve("metrics.json"));
    int evaluations = m.at("/samples/score_evaluations_at_most").asInt(Integer.parseInt(s[2]));
    double seconds = m.at("/samples/seconds").asDouble();
    double fd = m.at("/images/classifier/frechet_distance").asDouble();
    floor = m.at("/images/classifier/frechet_distance_data_floor").asDouble();
    points.computeIfAbsent(s[0], k -> new ArrayList<>()).add(new double[] {seconds, fd, evaluations});
    System.out.printf(Locale.ROOT, "| %s | %s | %s | %.0f | %.2f | %.3f |%n", s[0], s[1],
            Integer.toString(evaluations), seconds, fd, m.at("/conditional/class_accuracy").asDouble());
}
List<ErrorCurves.Series> bySeconds = new ArrayList<>();
for (var e : points.entrySet()) {
    List<double[]> p = e.getValue();
    p.sort(Comparator.comparingDouble(a -> a[0]));
    bySeconds.add(new ErrorCurves.Series(e.getKey(), p.stream().mapToDouble(a -> a[0]).toArray(),
            p.stream().mapToDouble(a -> a[1]).toArray()));
}
Path figure = run.resolve("time-to-quality.png");
ErrorCurves.draw(figure, List.of(new ErrorCurves.Panel("classifier Fréchet distance against sampling time",
        "seconds (200 samples, 2 cores)", "Fréchet distance", bySeconds, floor)), 1);
System.out.println("figure: " + figure + " (dashed: the data floor at the same n, " + floor + ")");
/exit
