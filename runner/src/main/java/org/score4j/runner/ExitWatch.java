package org.score4j.runner;

import java.util.Map;

/**
 * Names the code that called {@code System.exit} when it was not score4j: a shutdown hook that, unless the command is
 * ending normally, finds the thread inside {@code Runtime.exit} and reports the first frame outside the JDK (with its
 * class loader's name, {@code plugin:<dir>} for a plugin directory), so a plugin cannot end the command without a word.
 * It cannot stop the exit (Java 17's only way, a security manager, is deprecated and slows every check); it makes it
 * visible.
 */
final class ExitWatch {
    private static volatile boolean normal;

    private ExitWatch() {
    }

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitWatch::report, "score4j-exit-watch"));
    }

    static void exitingNormally() {
        normal = true;
    }

    private static void report() {
        if (normal) {
            return;
        }
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] frames = e.getValue();
            for (int i = 0; i < frames.length; i++) {
                if (frames[i].getClassName().equals("java.lang.Runtime") && frames[i].getMethodName().equals("exit")) {
                    StackTraceElement caller = callerOf(frames, i);
                    if (caller != null && !caller.getClassName().startsWith("org.score4j.runner.")) {
                        System.err.println("score4j: " + describe(caller) + " called System.exit; score4j stopped "
                                + "before its command finished (nothing after this point was written)");
                        System.err.flush();
                    }
                    return;
                }
            }
        }
    }

    private static StackTraceElement callerOf(StackTraceElement[] frames, int exitFrame) {
        for (int j = exitFrame + 1; j < frames.length; j++) {
            String c = frames[j].getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return frames[j];
            }
        }
        return null;
    }

    private static String describe(StackTraceElement frame) {
        String loader = frame.getClassLoaderName();
        String where = frame.getClassName() + "." + frame.getMethodName()
                + (frame.getLineNumber() > 0 ? " (" + frame.getFileName() + ":" + frame.getLineNumber() + ")" : "");
        return loader != null && loader.startsWith("plugin:") ? "the plugin in plugins/" + loader.substring(7) + " ("
                + where + ")" : where;
    }
}
