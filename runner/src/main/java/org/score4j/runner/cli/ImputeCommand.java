package org.score4j.runner.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.score4j.core.UserError;
import org.score4j.core.app.Application;
import org.score4j.core.app.RunResult;
import org.score4j.runner.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "impute", description = "Fill the empty or NaN cells of a CSV file with a trained run's model: "
        + "score4j impute --from runs/x --input rows.csv (writes imputed.csv)")
public final class ImputeCommand implements Callable<Integer> {
    @Mixin
    FromRunOptions run;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "rows with empty or NaN cells to fill")
    Path input;

    @Option(names = "--draws", paramLabel = "K", defaultValue = "8",
            description = "chains per row, averaged into the imputed value (default: ${DEFAULT-VALUE})")
    int draws;

    @Option(names = "--evaluate", paramLabel = "FRACTION", defaultValue = "0",
            description = "also hide this share of the cells of held-out rows and compare with mean and nearest-neighbour "
                    + "imputation (default: ${DEFAULT-VALUE}, off)")
    double evaluate;

    @Override
    public Integer call() {
        if (draws < 1 || draws > 10_000) {
            throw new UserError("--draws expects a number of chains per row between 1 and 10000, got " + draws);
        }
        if (!(evaluate >= 0 && evaluate < 1)) {
            throw new UserError("--evaluate expects a share of cells in [0, 1), got " + evaluate);
        }
        Application app = RunCommands.application(run.plugins);
        ProgressBar bar = new ProgressBar(System.err);
        RunResult r = app.impute(run.from, run.overrides, input, run.out, run.force, draws, evaluate, null, bar);
        System.out.println("wrote " + r.directory().resolve("imputed.csv"));
        if (r.metrics().get("evaluation") instanceof java.util.Map<?, ?> e) {
            System.out.printf(java.util.Locale.ROOT, "RMSE on %s hidden cells: score model %.4g, column mean %.4g, "
                            + "%s nearest neighbours %.4g%n", e.get("hidden_cells"), e.get("rmse_score_model"),
                    e.get("rmse_column_mean"), e.get("neighbours"), e.get("rmse_nearest_neighbours"));
        }
        return 0;
    }
}
