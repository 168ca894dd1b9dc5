package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.DualsyncCommand;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first sync of a bidirectional map when both sides already hold overlapping data, then a
 * resync of the map from both sides while it runs, over two real PostgreSQL databases: the
 * resync rewrites nothing on a converged map, raises no conflict (the map's policy is
 * {@code fail}, so a wrong one would stop the next change), and leaves nothing behind that
 * stops later changes from flowing both ways.
 */
class BidirectionalResyncIT {

    private static final String ACCOUNTS = "select id, name, credit::text from account";
    private static final String CUSTOMERS = "select no, name, credit::text from customer";

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;
    static Path config;
    static String crmName;
    static String erpName;
    static String map;

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        crmName = SharedInfrastructure.uniqueName("bcrm");
        erpName = SharedInfrastructure.uniqueName("berp");
        map = SharedInfrastructure.uniqueName("accounts");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = infra.postgres().createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, infra.postgres().user(), null);
        exec(crm, "create table account (id int primary key, name text, credit numeric(38,10))");
        exec(erp, "create table customer (no int primary key, name text, credit numeric(38,10))");
        // 1-3 only in the CRM, 4-6 on both alike, 7-8 on both with other values, 9-10 only in the ERP
        exec(crm, "insert into account select i, 'name ' || i, i + 0.5 from generate_series(1, 6) i");
        exec(crm, "insert into account select i, 'crm name ' || i, i + 0.25 from generate_series(7, 8) i");
        exec(erp, "insert into customer select i, 'name ' || i, i + 0.5 from generate_series(4, 6) i");
        exec(erp, "insert into customer select i, 'erp name ' || i, i + 0.75 from generate_series(7, 10) i");
        config = Files.writeString(dir.resolve("bidirectional-resync.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-bidirectionalresyncit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: %s
                    a: %s.public.account
                    b: %s.public.customer
                    direction: bidirectional
                    key: [ { a: id, b: no } ]
                    fields:
                      - { a: name,   b: name }
                      - { a: credit, b: credit }
                    conflicts: fail
                    initialSync: { authoritative: %s }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, infra.postgres().user(),
                map, crmName, erpName, erpName));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName, erpName), crm, erp);
    }

    @Test
    void shouldResyncAConvergedMapFromBothSidesWithoutWritesOrConflictsAndKeepSyncingAfterwards() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(image(crm, ACCOUNTS)).isEqualTo(image(erp, CUSTOMERS)).hasSize(10);
        });
        Thread.sleep(2_000); // the first sync's last echoes settle
        Map<String, String> converged = image(crm, ACCOUNTS);
        assertThat(converged.get("7")).isEqualTo("erp name 7|7.7500000000");
        // a rewritten row gets a new xmin (the id of the transaction that wrote its current version)
        Map<String, String> crmVersions = image(crm, "select id, xmin::text, '' from account");
        Map<String, String> erpVersions = image(erp, "select no, xmin::text, '' from customer");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("resync", "--config", config.toString(), "--map", map);

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("endpoint '" + crmName + "'", "endpoint '" + erpName + "'");
        Thread.sleep(8_000); // both incremental snapshots run and their rows reach the other side
        assertThat(host.firstFailure()).isEmpty();
        assertThat(image(crm, ACCOUNTS)).isEqualTo(converged);
        assertThat(image(erp, CUSTOMERS)).isEqualTo(converged);
        assertThat(image(crm, "select id, xmin::text, '' from account")).as("row versions in the CRM").isEqualTo(crmVersions);
        assertThat(image(erp, "select no, xmin::text, '' from customer")).as("row versions in the ERP").isEqualTo(erpVersions);

        // later changes still flow both ways: under fail a wrong conflict would stop them
        exec(crm, "update account set name = 'changed in crm' where id = 2");
        exec(erp, "update customer set credit = 99.5 where no = 9");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(image(erp, CUSTOMERS).get("2")).isEqualTo("changed in crm|2.5000000000");
            assertThat(image(crm, ACCOUNTS).get("9")).isEqualTo("erp name 9|99.5000000000");
        });
    }

    private static Map<String, String> image(Connection c, String sql) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }
}
