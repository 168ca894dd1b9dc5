package io.dualsync.launcher.infra;

import io.dualsync.config.RegistrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real Apicurio Registry 3.3.3 server (H2 storage in a file of its work directory, global
 * compatibility rule {@code BACKWARD}) running as a child JVM bound to 127.0.0.1 on free ports. Its console output
 * goes to {@code registry.log} in a temporary work directory, never to ours. {@link #close()}
 * stops it; a JVM shutdown hook does the same if this JVM exits without closing it.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRegistry.class);
    /** 120 s (it starts in 10-20 s on a quiet machine); more with -Ddualsync.registry.readyTimeoutSeconds=N. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("dualsync.registry.readyTimeoutSeconds", 120));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int LOG_LINES_IN_ERRORS = 40;
    private static final String HOST = "127.0.0.1";

    private final Path runJar;
    private final int httpPort;
    private final int managementPort;
    private final Path workDir;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Process process;

    private EmbeddedRegistry(Path runJar, int httpPort, int managementPort, Path workDir) {
        this.runJar = runJar;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.workDir = workDir;
        this.shutdownHook = new Thread(this::stopProcess, "dualsync-registry-shutdown");
    }

    /**
     * Unpacks the distribution if needed, starts the server and waits until it reports ready.
     *
     * @throws IllegalStateException if this JVM is older than Java 21 (the registry needs 21+),
     *                               or the server dies or is not ready within the ready timeout (120 s,
     *                               see {@code dualsync.registry.readyTimeoutSeconds}); the message
     *                               then carries the server's last output lines
     */
    public static EmbeddedRegistry start() {
        requireJava21();
        long started = System.nanoTime();
        Path runJar = RegistryDistribution.quarkusRunJar();
        int[] ports = freePorts(2);
        Path workDir;
        try {
            workDir = Files.createTempDirectory("dualsync-registry-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a work directory for Apicurio Registry", e);
        }
        EmbeddedRegistry registry = new EmbeddedRegistry(runJar, ports[0], ports[1], workDir);
        Runtime.getRuntime().addShutdownHook(registry.shutdownHook);
        try {
            registry.launchAndAwaitReady();
        } catch (RuntimeException e) {
            registry.stopProcess();
            registry.removeShutdownHook();
            throw e;
        }
        log.info("Apicurio Registry ready at {} in {} (log: {})", registry.url(), Durations.since(started),
                registry.logFile());
        return registry;
    }

    /**
     * Stops the server (SIGKILL when {@code crash}, else a clean stop) and starts it again on the
     * same ports over the same storage, waiting until it is ready: its artifacts and their ids
     * survive, as they do for a registry deployed with persistent storage.
     */
    public synchronized void restart(boolean crash) {
        long started = System.nanoTime();
        stop(crash);
        startAgain();
        log.info("Apicurio Registry restarted at {} in {}", url(), Durations.since(started));
    }

    /** Stops the server (SIGKILL when {@code crash}) and leaves it down until {@link #startAgain()}: an outage. */
    public synchronized void stop(boolean crash) {
        requireOpen();
        if (crash) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            try {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing Apicurio Registry", e);
            }
        } else {
            stopProcess();
        }
    }

    /** Starts a stopped server again on the same ports over the same storage, and waits until it is ready. */
    public synchronized void startAgain() {
        requireOpen();
        launchAndAwaitReady();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the registry was closed");
        }
    }

    private void launchAndAwaitReady() {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    javaExecutable().toString(),
                    "-Xmx384m",
                    // a small, lightly loaded server: the serial GC needs fewer threads and less
                    // memory, and C1 alone starts it ~1 s sooner on 2 cores (measured)
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-Dfile.encoding=UTF-8",
                    "-jar", runJar.toString()))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("registry.log").toFile()));
            Map<String, String> env = builder.environment();
            env.put("QUARKUS_HTTP_HOST", HOST);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
            env.put("QUARKUS_MANAGEMENT_HOST", HOST);
            env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            // Apicurio 3 property apicurio.rules.global.compatibility; its default is NONE
            env.put("APICURIO_RULES_GLOBAL_COMPATIBILITY", "BACKWARD");
            // Apicurio's default storage is an in-memory H2 database named per start
            // (jdbc:h2:mem:db_${quarkus.uuid}): a restart would come back empty, and the content
            // ids inside every record already written would point at nothing. A file database in
            // the work directory keeps them across restarts.
            env.put("APICURIO_DATASOURCE_URL", "jdbc:h2:file:" + workDir.resolve("storage").resolve("registry")
                    + ";DB_CLOSE_ON_EXIT=FALSE"
                    // an OS lock, released when the process dies: H2's default lock file would keep
                    // a registry restarted after a SIGKILL waiting for the dead one
                    + ";FILE_LOCK=FS");
            env.put("QUARKUS_LOG_CONSOLE_COLOR", "false");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Apicurio Registry from " + runJar, e);
        }
        awaitReady(process, URI.create("http://" + HOST + ":" + managementPort + "/health/ready"), workDir);
    }

    /** Base URL, {@code http://127.0.0.1:<port>}; the API paths follow from {@link #settings()}. */
    public String url() {
        return "http://" + HOST + ":" + httpPort;
    }

    /** The registry as dualsync's configuration describes one. */
    public RegistrySettings settings() {
        return new RegistrySettings(url());
    }

    /** The server's console output. */
    public Path logFile() {
        return workDir.resolve("registry.log");
    }

    /** Stops the server (and anything it started), waits for it, and deletes its work directory. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopProcess();
            removeShutdownHook();
            Directories.deleteQuietly(workDir);
            log.info("Apicurio Registry stopped");
        }
    }

    private void stopProcess() {
        Process process = this.process;
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    private static void awaitReady(Process process, URI health, Path workDir) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " before it was ready. Last output:\n" + lastLines(workDir));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // starting up: connection reset or timed out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("Apicurio Registry not ready after " + READY_TIMEOUT.toSeconds()
                + " s at " + health + ". Last output:\n" + lastLines(workDir));
    }

    private static String lastLines(Path workDir) {
        try {
            List<String> lines = Files.readAllLines(workDir.resolve("registry.log"), StandardCharsets.UTF_8);
            return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size())));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void requireJava21() {
        int feature = Runtime.version().feature();
        if (feature < 21) {
            throw new IllegalStateException("Apicurio Registry " + RegistryDistribution.VERSION
                    + " needs Java 21 or newer, but this JVM is Java " + Runtime.version()
                    + " (" + System.getProperty("java.home") + "). Run dualsync with a JDK 21+ (set JAVA_HOME).");
        }
    }

    /** The java launcher of the running JVM, so the child runs the same (checked) version. */
    private static Path javaExecutable() {
        String exe = System.getProperty("os.name").toLowerCase().contains("win") ? "java.exe" : "java";
        return Path.of(System.getProperty("java.home"), "bin", exe);
    }

    /** Distinct free ports: all sockets stay open until every port is chosen. */
    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only probing
                }
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
        }
    }
}
