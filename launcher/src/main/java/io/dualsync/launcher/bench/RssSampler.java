package io.dualsync.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples the resident memory of processes from {@code /proc/<pid>/status} twice a second:
 * {@code VmHWM} (the kernel's own peak resident set) and {@code VmRSS}. A reading survives the
 * process: the last sample taken while it lived is kept. Linux only; elsewhere it reports nothing.
 */
final class RssSampler implements AutoCloseable {

    /** Peak and current resident memory of one process, in KiB. */
    record Reading(long peakKib, long currentKib) {
    }

    private final Map<String, Long> pids = new ConcurrentHashMap<>();
    private final Map<String, Reading> last = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler() {
        thread = new Thread(this::loop, "bench-rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void watch(String name, long pid) {
        pids.put(name, pid);
    }

    /** The latest reading of every watched process, in the order they were added. */
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
        pids.forEach((name, pid) -> read(pid).ifPresent(r -> last.merge(name, r,
                (a, b) -> new Reading(Math.max(a.peakKib(), b.peakKib()), b.currentKib()))));
    }

    /** Parses {@code VmHWM} and {@code VmRSS} of one process; empty when it is gone. */
    static Optional<Reading> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "status"))));
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
        return new Reading(hwm, rss);
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
