package org.score4j.runner;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.score4j.api.spi.Suggestions;
import org.score4j.api.tensors.ShapeInfoCache;
import org.score4j.core.UserError;
import org.score4j.core.engine.EngineProvider;
import org.score4j.core.engine.Engines;
import org.score4j.core.plugins.PluginGuard;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code score4j} command. Exit codes: 0 success; 1 a run failed (diverged, ran out of memory, a study cell
 * failed); 2 a usage, configuration or input mistake; 70 an internal error (a bug of score4j or of a plugin); 74 an
 * input or output error (disk full, permission denied); 75 the run directory is in use by another score4j; a plugin that
 * calls {@code System.exit} ends the command with its own status, after a message naming it.
 */
@Command(name = "score4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train and sample score-based generative models (NCSN family, score SDEs).",
        subcommands = {org.score4j.runner.cli.RunCommand.class, org.score4j.runner.cli.TrainCommand.class,
                org.score4j.runner.cli.SampleCommand.class, org.score4j.runner.cli.AblateCommand.class,
                org.score4j.runner.cli.ScheduleCommand.class, org.score4j.runner.cli.PluginsCommand.class,
                org.score4j.runner.cli.InfoCommand.class, org.score4j.runner.cli.BenchCommand.class,
                org.score4j.runner.cli.BenchSamplersCommand.class, org.score4j.runner.cli.ImputeCommand.class,
                org.score4j.runner.cli.InpaintCommand.class, org.score4j.runner.cli.InspectCommand.class, org.score4j.runner.cli.LikelihoodCommand.class})
public final class Main implements Runnable {

    /** The variable that makes every error print its stack trace. */
    public static final String DEBUG = "SCORE4J_DEBUG";

    static {
        // Before anything touches ND4J, for main and for execute run in a program's own JVM.
        ShapeInfoCache.install();
    }

    public static void main(String[] args) {
        ExitWatch.install();
        int code = execute(args);
        ExitWatch.exitingNormally();
        System.exit(code);
    }

    /** Runs the command line and returns its exit code (see the class comment). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (EngineProvider engine : Engines.available().values()) {
            engine.commands().forEach(cl::addSubcommand);
        }
        cl.setExecutionExceptionHandler((e, line, parsed) -> failure(e, line.getErr()));
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine() == cl
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                String given = u.getUnmatched().get(0);
                err.println("score4j: unknown command '" + given + "'" + Suggestions.didYouMean(given,
                        cl.getSubcommands().keySet()) + "; commands: " + String.join(", ", cl.getSubcommands().keySet()));
                return UserError.USAGE;
            }
            err.println("score4j: " + ex.getMessage() + optionSuggestion(ex));
            ex.getCommandLine().usage(err);
            return UserError.USAGE;
        });
        Optional<String> shapes = ShapeInfoCache.problem();
        if (shapes.isPresent()) {
            System.err.println("score4j: " + shapes.get());
            return UserError.USAGE;
        }
        if (CudaDevices.cudaBackend() && !(args.length == 0 || Set.of("info", "-h", "--help", "-V", "--version")
                .contains(args[0]))) {
            List<CudaDevices.Gpu> gpus = CudaDevices.query();
            Optional<String> problem = CudaDevices.unsupported(gpus, System.getenv("CUDA_VISIBLE_DEVICES"))
                    .or(() -> CudaDevices.startProblem(gpus));
            if (problem.isPresent()) {
                System.err.println("score4j: " + problem.get());
                return UserError.USAGE;
            }
        }
        try {
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            PrintWriter err = new PrintWriter(System.err, true);
            int code = failure(e, err);
            err.flush();
            return code;
        }
    }

    /** " (did you mean '--x'?)" where the first argument not understood is an option close to one of the command's. */
    private static String optionSuggestion(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && u.getUnmatched().get(0).startsWith("--")) {
            return Suggestions.didYouMean(u.getUnmatched().get(0).split("=", 2)[0],
                    ex.getCommandLine().getCommandSpec().optionsMap().keySet());
        }
        return "";
    }

    /** Prints what went wrong as a person can act on it, and returns the exit code. */
    static int failure(Throwable e, PrintWriter err) {
        boolean debug = System.getenv(DEBUG) != null;
        UserError user = find(e, UserError.class);
        int code;
        if (user != null) {
            err.println("score4j: " + user.getMessage());
            code = user.exitCode();
        } else if (find(e, OutOfMemoryError.class) != null) {
            OutOfMemoryError oom = find(e, OutOfMemoryError.class);
            err.println("score4j: out of memory (" + oom.getMessage() + "): the run needs more than this JVM may use. "
                    + "Lower train.batch-size, sample.batch-size or eval.reference-samples, choose a smaller model, or "
                    + "give it more with SCORE4J_JAVA_OPTS=-Xmx… and SCORE4J_OFFHEAP (see docs/reliability.md).");
            code = UserError.FAILED;
        } else if (find(e, StackOverflowError.class) != null) {
            err.println("score4j: ran out of stack: something is nested far too deeply (a configuration, a data file or a "
                    + "plugin's recursion); simplify it, or report the command to the plugin's author.");
            code = UserError.FAILED;
        } else {
            err.println("score4j: internal error: " + PluginGuard.describe(e));
            if (!debug) {
                err.println("(set " + DEBUG + "=1 for the stack trace)");
            }
            code = UserError.INTERNAL;
        }
        if (debug) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            err.print(w);
        }
        err.flush();
        return code;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Reads the version from the build. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"score4j " + org.score4j.core.output.Provenance.versions()
                    .getProperty("score4j.version", "unknown")};
        }
    }
}
