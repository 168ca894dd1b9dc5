package io.dualsync.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples processes twice a second from {@code /proc/<pid>/status}: {@code VmHWM} (the kernel's
 * own peak resident set) and {@code VmRSS}; and from {@code /proc/<pid>/stat} the CPU time used
 * so far (user + system), which shows where a scenario's CPU went. A reading survives the
 * process: the last sample taken while it lived is kept. Linux only; elsewhere it reports nothing.
 */
final class ProcessSampler implements AutoCloseable {

    /** Peak and current resident memory of one process, in KiB, and its CPU time so far. */
    record Reading(long peakKib, long currentKib, double cpuSeconds) {
    }

    /** Clock ticks a second of {@code /proc/<pid>/stat} times: 100 on every Linux platform dualsync runs on. */
    static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> pids = new ConcurrentHashMap<>();
    /** Watched processes whose children's CPU counts as theirs (a PostgreSQL server and its backends). */
    private final Map<String, Boolean> withChildren = new ConcurrentHashMap<>();
    private final Map<String, Reading> last = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    ProcessSampler() {
        thread = new Thread(this::loop, "bench-rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void watch(String name, long pid) {
        pids.put(name, pid);
    }

    /** As {@link #watch}, adding the CPU time of the process's live children to its own. */
    void watchWithChildren(String name, long pid) {
        withChildren.put(name, true);
        pids.put(name, pid);
    }

    /** The PostgreSQL server process listening on {@code port}, found by its {@code -p} argument. */
    static Optional<Long> postgresServer(int port) {
        return ProcessHandle.allProcesses().filter(p -> {
            String[] args = p.info().arguments().orElse(new String[0]);
            boolean isPostgres = p.info().command().map(c -> c.endsWith("/postgres")).orElse(false);
            for (int i = 0; isPostgres && i + 1 < args.length; i++) {
                if (args[i].equals("-p") && args[i + 1].equals(Integer.toString(port))) {
                    return true;
                }
            }
            return false;
        }).map(ProcessHandle::pid).findFirst();
    }

    /** The latest reading of every watched process, by name. */
    Map<String, Reading> readings() {
        sampleOnce();
        Map<String, Reading> copy = new LinkedHashMap<>();
        pids.keySet().stream().sorted().forEach(n -> {
            Reading r = last.get(n);
            if (r != null) {
                copy.put(n, r);
            }
        });
        return copy;
    }

    private void loop() {
        while (running) {
            sampleOnce();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sampleOnce() {
        pids.forEach((name, pid) -> read(pid).map(r -> withChildren.containsKey(name) ? plusChildren(pid, r) : r)
                .ifPresent(r -> last.merge(name, r,
                (a, b) -> new Reading(Math.max(a.peakKib(), b.peakKib()), b.currentKib(), Math.max(a.cpuSeconds(), b.cpuSeconds())))));
    }

    private static Reading plusChildren(long pid, Reading own) {
        double cpu = own.cpuSeconds();
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of())) {
            cpu += read(child.pid()).map(Reading::cpuSeconds).orElse(0.0);
        }
        return new Reading(own.peakKib(), own.currentKib(), cpu);
    }

    /** Parses {@code VmHWM} and {@code VmRSS} of one process; empty when it is gone. */
    static Optional<Reading> read(long pid) {
        try {
            Path proc = Path.of("/proc", Long.toString(pid));
            Reading memory = parse(Files.readString(proc.resolve("status")));
            return Optional.of(new Reading(memory.peakKib(), memory.currentKib(), cpuSeconds(Files.readString(proc.resolve("stat")))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Reading parse(String status) {
        long hwm = 0;
        long rss = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                hwm = kib(line);
            } else if (line.startsWith("VmRSS:")) {
                rss = kib(line);
            }
        }
        return new Reading(hwm, rss, 0);
    }

    /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in seconds. */
    static double cpuSeconds(String stat) {
        // the command name (field 2) may contain spaces: count fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    private static long kib(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
