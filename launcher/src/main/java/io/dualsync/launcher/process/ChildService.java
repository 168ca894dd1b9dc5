package io.dualsync.launcher.process;

import io.dualsync.launcher.DualsyncCommand;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One dualsync service ({@code capture}, {@code transform} or {@code apply}) running as a child
 * JVM, as it is deployed: {@code java -Xmx.. -cp <launcher classpath> DualsyncCommand <service>
 * --config FILE}. Its console output is appended to {@code <service>.log} in the work directory
 * (a restarted service continues the same log), and it gets its own {@code java.io.tmpdir} there
 * (the transform keeps its state store under it). {@link #close()} sends SIGTERM (the service stops
 * cleanly) and waits, then kills it; {@link #kill()} is SIGKILL at once, as a crash.
 * Used by {@code dualsync bench} and by the crash-safety tests.
 */
public final class ChildService implements AutoCloseable {

    /** Exit code of a process that SIGKILL ended: 128 + signal 9. */
    public static final int KILLED_EXIT_CODE = 137;

    private final String name;
    private final Process process;
    private final Path log;
    /** Where this run's output starts in the log (earlier runs of the service wrote before it). */
    private final long logStart;

    private ChildService(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /**
     * @param jvmOptions extra JVM options for this child (profiling, for example)
     */
    public static ChildService start(String service, Path config, Path workDir, String maxHeap, List<String> jvmOptions) {
        try {
            Path tmp = Files.createDirectories(workDir.resolve("tmp-" + service));
            Path log = workDir.resolve(service + ".log");
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + maxHeap);
            if (Runtime.version().feature() >= 24) {
                // Kafka and Debezium still use sun.misc.Unsafe; JDK 24+ warns about it on every start
                command.add("--sun-misc-unsafe-memory-access=allow");
            }
            command.add("-Djava.io.tmpdir=" + tmp);
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classPath());
            command.add(DualsyncCommand.class.getName());
            command.add(service);
            command.add("--config");
            command.add(config.toString());
            // several children share one host: each takes a free port for /metrics and /health
            command.add("--metrics-port");
            command.add("0");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildService(service, process, log, logStart);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the " + service + " service", e);
        }
    }

    /**
     * The classpath of this JVM: the launcher jar (whose manifest names {@code lib/*}) or, when
     * run from the build's classes, the plain list Maven or the IDE gave. Under Surefire/Failsafe
     * {@code java.class.path} may be a manifest-only booter jar that lives only while the test JVM
     * does, so their {@code surefire.test.class.path} comes first.
     */
    public static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        if (cp == null || cp.isBlank()) {
            throw new IllegalStateException("java.class.path is empty: cannot start the services as child JVMs");
        }
        for (String entry : cp.split(File.pathSeparator)) {
            if (!Files.exists(Path.of(entry))) {
                throw new IllegalStateException("classpath entry " + entry + " does not exist");
            }
        }
        return cp;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Whether this run of the service (not an earlier one) has written {@code text} to its log. */
    public boolean hasPrinted(String text) {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(logStart);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** The exit code once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Fails, naming the service, its exit code and its log, if it has exited. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + name + " service exited with code " + process.exitValue()
                    + "; see " + log);
        }
    }

    /**
     * SIGKILL (on Linux {@link Process#destroyForcibly()} sends signal 9): no shutdown hook runs,
     * nothing is flushed or closed. Waits until the process is gone.
     *
     * @return the exit code, {@link #KILLED_EXIT_CODE} when the signal ended it
     */
    public int kill() {
        try {
            return process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the " + name + " service", e);
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
