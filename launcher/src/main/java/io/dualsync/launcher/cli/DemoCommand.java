package io.dualsync.launcher.cli;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.demo.DemoConfigFile;
import io.dualsync.launcher.demo.DemoData;
import io.dualsync.launcher.demo.DemoErp;
import io.dualsync.launcher.demo.DemoErpDatabase;
import io.dualsync.launcher.demo.DemoRunner;
import io.dualsync.launcher.demo.DemoScenario;
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
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code dualsync demo}: starts a real Kafka broker, a real Apicurio registry and two embedded
 * PostgreSQL databases (a CRM and an ERP with different table and column names; the ERP on MariaDB
 * with {@code --erp mariadb}), seeds the CRM,
 * runs the whole pipeline, shows the initial sync and then a set of live changes arriving.
 * With {@code --check} it exits after the changes: 0 only if every one arrived as expected.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs dualsync on embedded infrastructure: a CRM on PostgreSQL synced to an ERP on PostgreSQL or MariaDB.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--check", description = "Make a fixed set of changes, verify each on the ERP, print N/N changes synced and exit (0 = all synced).")
    boolean check;

    @Option(names = "--accounts", defaultValue = "2000", description = "CRM accounts to seed (contacts: 1.5 per account). Default: ${DEFAULT-VALUE}.")
    int accounts;

    @Option(names = "--erp", defaultValue = "postgres",
            description = "The ERP's database: postgres or mariadb. Default: ${DEFAULT-VALUE}.")
    DemoErp erpKind;

    @Option(names = "--work-dir", description = "Where the demo writes its config file and logs. Default: a new temporary directory.")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("dualsync-demo");
        out.println("Starting a Kafka broker (KRaft), an Apicurio schema registry and PostgreSQL ...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             EmbeddedRegistry registry = EmbeddedRegistry.start();
             EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            out.printf("  Kafka %s, registry %s%n", kafka.bootstrapServers(), registry.url());
            String crmUrl = postgres.createDatabase("crm");
            try (DemoErpDatabase erpDatabase = DemoErpDatabase.start(erpKind, postgres, dir);
                 Connection crm = DriverManager.getConnection(crmUrl, postgres.user(), null);
                 Connection erp = erpDatabase.connect()) {
                out.printf("  CRM %s%n  ERP %s%n", crmUrl, erpDatabase.url());
                DemoData.createCrmTables(crm);
                DemoData.createErpTables(erp, erpKind);
                DemoData.seedCrm(crm, accounts);
                Path config = DemoConfigFile.write(dir, kafka.bootstrapServers(), registry.url(), crmUrl, postgres.user(),
                        erpKind, erpDatabase.endpointYaml());
                out.println("Config: " + config);

                Startup.Checked checked;
                try {
                    checked = Startup.loadAndCheck(config);
                } catch (Startup.StartupException e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    return 1;
                }
                try (ServiceHost host = new ServiceHost()) {
                    new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(java.time.Duration.ofMillis(20)));
                    DemoRunner runner = new DemoRunner(crm, erp, out);
                    if (!runner.awaitInitialSync(Duration.ofMinutes(3))) {
                        host.firstFailure().ifPresent(f -> spec.commandLine().getErr().println(f));
                        return 1;
                    }
                    out.println("Live changes on the CRM:");
                    List<DemoRunner.Outcome> outcomes = runner.run(DemoScenario.changes(erpKind));
                    out.println(DemoRunner.summary(outcomes));
                    boolean allSynced = outcomes.stream().allMatch(DemoRunner.Outcome::synced);
                    if (check) {
                        host.firstFailure().ifPresent(f -> spec.commandLine().getErr().println(f));
                        return allSynced ? 0 : 1;
                    }
                    out.println("dualsync keeps running: change rows in the CRM (psql " + crmUrl.replace("jdbc:", "")
                            + " -U " + postgres.user() + ") and watch them reach the ERP. Ctrl-C stops the demo.");
                    host.closeOnShutdown();
                    Optional<String> failure = host.awaitStopOrFailure();
                    failure.ifPresent(f -> spec.commandLine().getErr().println(f));
                    return failure.isPresent() ? 2 : 0;
                }
            }
        }
    }
}
