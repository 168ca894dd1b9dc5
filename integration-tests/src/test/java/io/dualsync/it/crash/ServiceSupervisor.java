package io.dualsync.it.crash;

import io.dualsync.launcher.process.ChildService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The three dualsync services as child JVMs ({@code dualsync capture|transform|apply --config}),
 * kept running the way systemd or Kubernetes would keep them: a service that exits on its own is
 * started again (and counted, with the last lines of its log), and {@link #kill(String)} is a
 * SIGKILL followed by a restart.
 */
final class ServiceSupervisor implements AutoCloseable {

    static final List<String> SERVICES = List.of("apply", "transform", "capture");

    private static final Logger log = LoggerFactory.getLogger(ServiceSupervisor.class);

    private final Path config;
    private final Path workDir;
    private final Map<String, ChildService> children = new LinkedHashMap<>();
    private final Map<String, Integer> kills = new TreeMap<>();
    private final Map<String, Integer> selfExits = new TreeMap<>();
    private final Map<String, Integer> starts = new TreeMap<>();
    private final List<String> selfExitReasons = new ArrayList<>();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "crash-supervisor");
        t.setDaemon(true);
        return t;
    });

    ServiceSupervisor(Path config, Path workDir) {
        this.config = config;
        this.workDir = workDir;
    }

    synchronized void startAll() {
        SERVICES.forEach(this::start);
        watchdog.scheduleWithFixedDelay(this::reviveExited, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void start(String service) {
        children.put(service, ChildService.start(service, config, workDir, "320m", List.of()));
        starts.merge(service, 1, Integer::sum);
    }

    /** Waits until every service's current run says it is running (started and connected). */
    void awaitAllRunning(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (children.values().stream().allMatch(c -> c.isAlive() && c.hasPrinted(" is running;"))) {
                    return;
                }
            }
            requireNotFlapping();
            Thread.sleep(200);
        }
        throw new IllegalStateException("the services did not all report running within " + timeout);
    }

    /** Copies the services' logs to {@code dir}. */
    void copyLogs(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String service : SERVICES) {
                Path log = workDir.resolve(service + ".log");
                if (Files.exists(log)) {
                    Files.copy(log, dir.resolve(service + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            log.warn("could not copy the service logs to {}: {}", dir, e.toString());
        }
    }

    /** SIGKILL, then a restart: a crash of the service at this moment. */
    synchronized void kill(String service) {
        ChildService child = children.get(service);
        int exit = child.kill();
        if (exit != ChildService.KILLED_EXIT_CODE) {
            // it had exited before the signal: the watchdog had not seen it yet
            recordSelfExit(service, child, exit);
        }
        kills.merge(service, 1, Integer::sum);
        log.info("killed {} (pid {}) with SIGKILL, exit code {}; restarting it", service, child.pid(), exit);
        start(service);
    }

    /** SIGKILL without a restart, until {@link #restart(String)}. */
    synchronized void killAndKeepDown(String service) {
        ChildService child = children.remove(service);
        int exit = child.kill();
        kills.merge(service, 1, Integer::sum);
        log.info("killed {} (pid {}) with SIGKILL, exit code {}; it stays down", service, child.pid(), exit);
    }

    synchronized void restart(String service) {
        start(service);
    }

    private synchronized void reviveExited() {
        for (Map.Entry<String, ChildService> e : new ArrayList<>(children.entrySet())) {
            if (!e.getValue().isAlive()) {
                recordSelfExit(e.getKey(), e.getValue(), e.getValue().exitValue());
                start(e.getKey());
            }
        }
    }

    private void recordSelfExit(String service, ChildService child, int exit) {
        selfExits.merge(service, 1, Integer::sum);
        String reason = service + " exited on its own with code " + exit + "; last log lines:\n" + tail(child.log());
        selfExitReasons.add(reason);
        log.warn(reason);
    }

    synchronized Map<String, Integer> kills() {
        return new TreeMap<>(kills);
    }

    synchronized int totalKills() {
        return kills.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Fails when the services keep exiting on their own: a harness or product fault, not a crash test. */
    synchronized void requireNotFlapping() {
        int exits = selfExits.values().stream().mapToInt(Integer::intValue).sum();
        if (exits > 30) {
            throw new IllegalStateException("the services exited on their own " + exits + " times; the last: "
                    + selfExitReasons.get(selfExitReasons.size() - 1));
        }
    }

    synchronized Map<String, Integer> selfExits() {
        return new TreeMap<>(selfExits);
    }

    synchronized List<String> selfExitReasons() {
        return List.copyOf(selfExitReasons);
    }

    synchronized Map<String, Integer> starts() {
        return new TreeMap<>(starts);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the services cleanly, capture first. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        try {
            watchdog.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            List<String> order = new ArrayList<>(children.keySet());
            for (int i = order.size() - 1; i >= 0; i--) {
                children.get(order.get(i)).close();
            }
            children.clear();
        }
    }
}
