package io.dualsync.launcher.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints each scenario's table and writes its JSON file ({@code initial-sync.json},
 * {@code streaming.json}, {@code max-rate.json}, {@code memory.json}, and {@code bench.json}
 * with all of them, the machine and the options) into the output directory.
 */
final class BenchReport {

    private final Path dir;
    private final PrintWriter out;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<String, Object> all = new LinkedHashMap<>();

    BenchReport(Path dir, PrintWriter out) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.out = out;
    }

    void machine(MachineInfo machine, Map<String, Object> options) throws IOException {
        out.printf("%nMachine: %d processors, %,d MiB, %s; load average %s%n", machine.processors(), machine.memoryMib(),
                machine.cpuModel(), machine.loadAverage());
        out.printf("Versions: JDK %s, Kafka %s, Debezium %s, %s%n", machine.jdk(), machine.kafka(), machine.debezium(),
                machine.postgres());
        all.put("machine", machine);
        all.put("options", options);
        write("bench.json", all);
    }

    void initialSync(InitialSyncScenario.Result r) throws IOException {
        out.println();
        out.println("Initial sync                         rows    seconds       rows/s");
        out.printf("  baseline (JDBC batch upsert) %,10d %10.1f %,12.0f%n", r.rows(), r.baselineSeconds(), r.baselineRowsPerSecond());
        out.printf("  dualsync (launch to last row) %,9d %10.1f %,12.0f%n", r.rows(), r.dualsyncSeconds(), r.dualsyncRowsPerSecond());
        out.printf("  dualsync (first to last row)  %,9d %10.1f %,12.0f%n", r.rows(), r.applyWindowSeconds(), r.steadyRowsPerSecond());
        out.printf("  ratio dualsync / baseline: %.2f (first to last row: %.2f)%n", r.ratio(), r.steadyRowsPerSecond() / r.baselineRowsPerSecond());
        out.println("  CPU seconds used during the dualsync sync (launch to last row), per process:");
        r.cpuSeconds().forEach((name, cpu) -> out.printf("    %-30s %8.1f s  (%.3f ms a row)%n", name, cpu, cpu * 1000 / r.rows()));
        out.flush();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", r.rows());
        m.put("cpuSecondsDuringSync", r.cpuSeconds());
        m.put("baselineSeconds", r.baselineSeconds());
        m.put("baselineRowsPerSecond", r.baselineRowsPerSecond());
        m.put("dualsyncSeconds", r.dualsyncSeconds());
        m.put("dualsyncRowsPerSecond", r.dualsyncRowsPerSecond());
        m.put("dualsyncFirstRowSeconds", r.firstRowSeconds());
        m.put("dualsyncFirstToLastRowsPerSecond", r.steadyRowsPerSecond());
        m.put("ratio", r.ratio());
        m.put("loadAverage", MachineInfo.currentLoadAverage());
        record("initial-sync", m);
    }

    void streaming(String name, List<StreamingStep.Result> steps) throws IOException {
        out.println();
        out.println(name.equals("streaming") ? "Streaming latency (source commit -> target apply, ms)"
                : "Maximum sustained rate: steps (source commit -> target apply, ms)");
        out.println("  rate/s  achieved/s  changes     p50     p95     p99     max  last-10s-p99  lag@check  drained(s)");
        for (StreamingStep.Result r : steps) {
            out.printf("  %,6d  %,10.0f  %,7d  %6.0f  %6.0f  %6.0f  %6.0f  %12.0f  %,9d  %10s%n", r.rate(), r.achievedRate(),
                    r.changes(), r.latency().p50(), r.latency().p95(), r.latency().p99(), r.latency().max(), r.tailP99(),
                    r.lagAtCheck(), r.drainedSeconds() < 0 ? "no" : String.format("%.1f", r.drainedSeconds()));
        }
        out.flush();
        record(name, Map.of("steps", steps, "loadAverage", MachineInfo.currentLoadAverage()));
    }

    void maxRate(MaxRateScenario.Result r) throws IOException {
        streaming("max-rate-steps", r.steps());
        out.printf("  maximum sustained rate: %,d changes/s (steps of %d s)%n", r.maxSustainedRate(), r.stepSeconds());
        out.flush();
        record("max-rate", Map.of("maxSustainedRate", r.maxSustainedRate(), "stepSeconds", r.stepSeconds(), "steps", r.steps()));
    }

    void memory(String phase, Map<String, ProcessSampler.Reading> readings, String maxHeap) throws IOException {
        out.println();
        out.printf("Memory after %s (each service a child JVM, -Xmx%s)%n", phase, maxHeap);
        out.println("  service              peak RSS (MiB)  current RSS (MiB)  CPU so far (s)");
        Map<String, Object> m = new LinkedHashMap<>();
        readings.forEach((service, r) -> {
            out.printf("  %-20s %14.0f %18.0f %15.1f%n", service, r.peakKib() / 1024.0, r.currentKib() / 1024.0, r.cpuSeconds());
            m.put(service, Map.of("peakRssMib", r.peakKib() / 1024.0, "currentRssMib", r.currentKib() / 1024.0,
                    "cpuSeconds", r.cpuSeconds()));
        });
        out.flush();
        @SuppressWarnings("unchecked")
        Map<String, Object> memory = (Map<String, Object>) all.computeIfAbsent("memory", k -> new LinkedHashMap<String, Object>());
        memory.put(phase, Map.of("maxHeap", maxHeap, "services", m));
        write("memory.json", memory);
        write("bench.json", all);
    }

    private void record(String name, Object value) throws IOException {
        all.put(name, value);
        write(name + ".json", value);
        write("bench.json", all);
    }

    private void write(String file, Object value) throws IOException {
        json.writeValue(dir.resolve(file).toFile(), value);
    }
}
