package org.score4j.runner;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code score4j} command. */
@Command(name = "score4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train and sample score-based generative models (NCSN family).",
        subcommands = {org.score4j.runner.cli.RunCommand.class, org.score4j.runner.cli.TrainCommand.class,
                org.score4j.runner.cli.SampleCommand.class, org.score4j.runner.cli.AblateCommand.class, org.score4j.runner.cli.ScheduleCommand.class, org.score4j.runner.cli.PluginsCommand.class,
                org.score4j.runner.cli.InfoCommand.class, org.score4j.runner.cli.BenchCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code: 0 success, 1 failed run, 2 usage or input mistake. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (org.score4j.runner.engine.EngineProvider engine : org.score4j.runner.engine.Engines.available().values()) {
            engine.commands().forEach(cl::addSubcommand);
        }
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserError u) {
                line.getErr().println("score4j: " + u.getMessage());
                return u.exitCode();
            }
            Throwable root = e;
            while (root.getCause() != null && !(root instanceof UserError)) {
                root = root.getCause();
            }
            if (root instanceof UserError u) {
                line.getErr().println("score4j: " + u.getMessage());
                return u.exitCode();
            }
            line.getErr().println("score4j: internal error: " + e);
            if (System.getenv("SCORE4J_DEBUG") != null) {
                StringWriter w = new StringWriter();
                e.printStackTrace(new PrintWriter(w));
                line.getErr().print(w);
            } else {
                line.getErr().println("(set SCORE4J_DEBUG=1 for the stack trace)");
            }
            return 70;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("score4j: " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return UserError.USAGE;
        });
        if (CudaDevices.cudaBackend() && !(args.length == 0 || java.util.Set.of("info", "-h", "--help", "-V", "--version")
                .contains(args[0]))) {
            java.util.List<CudaDevices.Gpu> gpus = CudaDevices.query();
            java.util.Optional<String> problem = CudaDevices.unsupported(gpus, System.getenv("CUDA_VISIBLE_DEVICES"))
                    .or(() -> CudaDevices.startProblem(gpus));
            if (problem.isPresent()) {
                System.err.println("score4j: " + problem.get());
                return UserError.USAGE;
            }
        }
        try {
            return cl.execute(args);
        } catch (Error e) {
            System.err.println("score4j: internal error: " + e);
            return 70;
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Reads the version from the build. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"score4j " + org.score4j.runner.output.Provenance.versions().getProperty("score4j.version", "unknown")};
        }
    }
}
