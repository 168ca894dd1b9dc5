package io.dualsync.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a benchmark figure depends on: processors, memory, CPU model, the load average when the
 * figure was taken, and the versions of the JDK, Kafka, Debezium and PostgreSQL.
 */
record MachineInfo(int processors, long memoryMib, String cpuModel, String loadAverage, String jdk, String kafka,
                   String debezium, String postgres) {

    static MachineInfo collect(String postgresVersion) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readMemoryMib(), readCpuModel(), currentLoadAverage(),
                Runtime.version().toString() + " (" + System.getProperty("java.vendor") + ")",
                org.apache.kafka.common.utils.AppInfoParser.getVersion(), debeziumVersion(), postgresVersion);
    }

    /** The 1, 5 and 15 minute load averages, from {@code /proc/loadavg}. */
    static String currentLoadAverage() {
        return read("/proc/loadavg").map(s -> String.join(" ", Arrays.copyOf(s.trim().split("\\s+"), 3)))
                .orElse("unknown");
    }

    private static long readMemoryMib() {
        return read("/proc/meminfo").flatMap(s -> s.lines().filter(l -> l.startsWith("MemTotal:")).findFirst())
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L);
    }

    private static String readCpuModel() {
        return read("/proc/cpuinfo").flatMap(s -> s.lines().filter(l -> l.startsWith("model name")).findFirst())
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
    }

    private static String debeziumVersion() {
        Package p = io.debezium.connector.postgresql.PostgresConnector.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v != null ? v : new io.debezium.connector.postgresql.PostgresConnector().version();
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
