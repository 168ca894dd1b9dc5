package io.dualsync.launcher.bench;

import io.dualsync.launcher.infra.EmbeddedKafka;
import io.dualsync.launcher.infra.EmbeddedPostgres;
import io.dualsync.launcher.infra.EmbeddedRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code dualsync bench}: measures dualsync PostgreSQL -> PostgreSQL on embedded infrastructure
 * (Kafka broker in this JVM, Apicurio Registry and PostgreSQL as child processes) with the three
 * services as separate child JVMs, the way they are deployed. Scenarios: initial sync beside a
 * plain JDBC baseline, streaming latency at fixed rates, maximum sustained rate, and the peak
 * resident memory of each service. Prints a table per scenario and writes JSON to {@code --out}.
 * Not a test: nothing is asserted, figures depend on the machine and on what else runs on it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks dualsync PostgreSQL -> PostgreSQL on embedded infrastructure, beside a plain JDBC baseline.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "1000000", description = "Rows of the initial sync. Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--rates", split = ",", defaultValue = "100,1000,5000",
            description = "Change rates (changes/s) of the streaming scenario. Default: ${DEFAULT-VALUE}.")
    List<Integer> rates;

    @Option(names = "--seconds", defaultValue = "30", description = "Seconds of load at each streaming rate. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--max-rate-seconds", defaultValue = "60",
            description = "Seconds of each step of the maximum-rate search. Default: ${DEFAULT-VALUE}.")
    int maxRateSeconds;

    @Option(names = "--max-rate-start", defaultValue = "2000", description = "First rate of the maximum-rate search. Default: ${DEFAULT-VALUE}.")
    int maxRateStart;

    @Option(names = "--max-rate-steps", defaultValue = "6", description = "Most steps of the maximum-rate search. Default: ${DEFAULT-VALUE}.")
    int maxRateSteps;

    @Option(names = "--lag-check-seconds", defaultValue = "5",
            description = "Seconds after the writer stops at which the lag is counted. Default: ${DEFAULT-VALUE}.")
    int lagCheckSeconds;

    @Option(names = "--scenarios", split = ",", defaultValue = "initial,streaming,max-rate",
            description = "Scenarios to run after the initial sync (which always runs): streaming, max-rate. "
                    + "'verify' alone runs only the verify scenario (PostgreSQL only, no pipeline). Default: ${DEFAULT-VALUE}.")
    List<String> scenarios;

    @Option(names = "--verify-heap", defaultValue = "128m", description = "-Xmx of the verify JVM (scenario verify). Default: ${DEFAULT-VALUE}.")
    String verifyHeap;

    @Option(names = "--verify-differences", defaultValue = "1000",
            description = "Rows changed on the target for the second verify run (scenario verify). Default: ${DEFAULT-VALUE}.")
    long verifyDifferences;

    @Option(names = "--out", defaultValue = "target/bench", description = "Directory of the JSON results and service logs. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--service-heap", defaultValue = "512m", description = "-Xmx of each service JVM. Default: ${DEFAULT-VALUE}.")
    String serviceHeap;

    @Option(names = "--partitions", defaultValue = "1", description = "Partitions of the raw and mapped topics. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property for every service (kafka.properties in the config); repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--apply-url-parameters", paramLabel = "K=V&K=V",
            description = "Parameters added to the target JDBC URL the apply service connects with.")
    String applyUrlParameters;

    @Option(names = "--jfr", paramLabel = "SERVICE", description = "Record a Java Flight Recording of this service (capture, transform or apply) into --out.")
    List<String> jfr = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path dir = Files.createDirectories(out.toAbsolutePath());
        Path work = Files.createTempDirectory(dir, "run-");
        if (scenarios.equals(List.of("verify"))) {
            try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
                new VerifyScenario(rows, verifyDifferences, verifyHeap, work, o).run(postgres, dir);
                return 0;
            }
        }
        BenchReport report = new BenchReport(dir, o);
        o.println("Starting a Kafka broker (in this JVM), an Apicurio registry and PostgreSQL ...");
        o.flush();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedRegistry registry = EmbeddedRegistry.start();
             EmbeddedPostgres postgres = EmbeddedPostgres.start();
             ProcessSampler sampler = new ProcessSampler()) {
            o.printf("Generating %,d source rows ...%n", rows);
            o.flush();
            BenchDatabases dbs = BenchDatabases.create(postgres, rows, applyUrlParameters);
            report.machine(MachineInfo.collect(postgresVersion(dbs)), options());
            Path config = BenchConfigFile.write(work, kafka.bootstrapServers(), registry.url(), dbs.sourceUrl(),
                    dbs.applyUrl(), dbs.user(), partitions, kafkaProperties);
            sampler.watch("bench JVM (broker)", ProcessHandle.current().pid());
            // its CPU shows what the database work costs; its RSS is mostly shared buffers, not comparable
            ProcessSampler.postgresServer(postgres.port()).ifPresent(pid -> sampler.watchWithChildren("postgres (server + backends)", pid));
            try (BenchServices services = new BenchServices(config, work, serviceHeap, jfrOptions(dir), sampler)) {
                InitialSyncScenario initial = new InitialSyncScenario(dbs, services::start, services::requireAllAlive,
                        Duration.ofMinutes(60), sampler);
                report.initialSync(initial.run(rows, o));
                report.memory("initial-sync", sampler.readings(), serviceHeap);

                try (Connection source = dbs.source(); Connection target = dbs.target()) {
                    PacedWriter writer = new PacedWriter(source, rows, rows + 1);
                    StreamingStep step = new StreamingStep(source, target, writer, Duration.ofSeconds(lagCheckSeconds),
                            Duration.ofMinutes(5), services::requireAllAlive);
                    if (scenarios.contains("streaming")) {
                        List<StreamingStep.Result> results = new ArrayList<>();
                        for (int rate : rates) {
                            o.printf("Streaming: %,d changes/s for %d s ...%n", rate, seconds);
                            o.flush();
                            results.add(step.run(rate, Duration.ofSeconds(seconds)));
                            report.streaming("streaming", results);
                        }
                        report.memory("streaming", sampler.readings(), serviceHeap);
                    }
                    if (scenarios.contains("max-rate")) {
                        MaxRateScenario.Result max = new MaxRateScenario(step)
                                .run(maxRateStart, maxRateSteps, Duration.ofSeconds(maxRateSeconds), o);
                        report.maxRate(max);
                        report.memory("max-rate", sampler.readings(), serviceHeap);
                    }
                }
            }
            o.println();
            o.println("Results: " + dir + " (service logs in " + work + ")");
            return 0;
        }
    }

    private Map<String, List<String>> jfrOptions(Path dir) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (String service : jfr) {
            options.put(service, List.of("-XX:StartFlightRecording=filename=" + dir.resolve(service + ".jfr")
                    + ",settings=profile,dumponexit=true"));
        }
        return options;
    }

    private Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rows);
        m.put("rates", rates);
        m.put("seconds", seconds);
        m.put("maxRateSeconds", maxRateSeconds);
        m.put("maxRateStart", maxRateStart);
        m.put("lagCheckSeconds", lagCheckSeconds);
        m.put("scenarios", scenarios);
        m.put("serviceHeap", serviceHeap);
        m.put("partitions", partitions);
        m.put("kafkaProperties", kafkaProperties);
        m.put("applyUrlParameters", applyUrlParameters);
        return m;
    }

    private static String postgresVersion(BenchDatabases dbs) throws Exception {
        try (Connection c = dbs.source(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }
}
