package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.DualsyncCommand;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * {@code dualsync resync} over a running pipeline, real broker, registry and PostgreSQL: after
 * the first sync (the target already held some of the rows, with other values), rows of the
 * target are damaged by hand, through a connection of the test's own, which dualsync does not
 * see as a change of its map (the map flows a-to-b); a resync of that map repairs them column by
 * column, leaves a second map's damage alone, and with {@code --since} reads again only the rows
 * whose changed-at column is at or after the time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResyncIT {

    private static final String CUSTOMERS = "select no, name, credit::text, born::text from customer";
    private static final String ACCOUNTS = "select id, name, credit::text, born::text from account";

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;
    static Path config;
    static String crmName;
    static String erpName;
    static String customers;
    static String items;

    @BeforeAll
    static void startPipelineAndFinishTheFirstSync() throws Exception {
        var infra = SharedInfrastructure.get();
        crmName = SharedInfrastructure.uniqueName("rcrm");
        erpName = SharedInfrastructure.uniqueName("rerp");
        customers = SharedInfrastructure.uniqueName("customers");
        items = SharedInfrastructure.uniqueName("items");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = infra.postgres().createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, infra.postgres().user(), null);
        exec(crm, "create table account (id int primary key, name text, credit numeric(38,10), born date,"
                + " updated_at timestamptz not null)");
        exec(crm, "create table item (id int primary key, title text)");
        exec(erp, "create table customer (no int primary key, name text, credit numeric(38,10), born date)");
        exec(erp, "create table item (id int primary key, title text)");
        exec(crm, "insert into account select i, 'name ' || i, i + 0.0000000001, date '2024-02-29' + i,"
                + " timestamptz '2020-01-01T00:00:00Z' from generate_series(1, 8) i");
        exec(crm, "insert into item select i, 'item ' || i from generate_series(1, 3) i");
        // overlapping data: the target already holds rows 1-3 with other values, and row 9 the source lacks
        exec(erp, "insert into customer select i, 'old ' || i, 0, null from generate_series(1, 3) i");
        exec(erp, "insert into customer values (9, 'erp only', 9, null)");
        config = Files.writeString(dir.resolve("resync.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-resyncit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: %s
                    a: %s.public.account
                    b: %s.public.customer
                    key: [ { a: id, b: no } ]
                    fields:
                      - { a: name,   b: name }
                      - { a: credit, b: credit }
                      - { a: born,   b: born }
                    changedAt: { a: updated_at }
                  - name: %s
                    a: %s.public.item
                    b: %s.public.item
                    key: [ { a: id, b: id } ]
                    fields:
                      - { a: title, b: title }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, infra.postgres().user(),
                customers, crmName, erpName, items, crmName, erpName));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(without9(image(erp, CUSTOMERS))).isEqualTo(image(crm, ACCOUNTS)).hasSize(8);
            assertThat(image(erp, "select id, title from item")).isEqualTo(image(crm, "select id, title from item")).hasSize(3);
        });
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName, erpName), crm, erp);
    }

    @Test
    @Order(1)
    void shouldRepairTargetRowsDeletedOrEditedByHandAndLeaveTheOtherMapAlone() throws Exception {
        exec(erp, "delete from customer where no = 2");
        exec(erp, "update customer set name = 'edited by hand', credit = 0 where no = 3");
        exec(erp, "update customer set born = null where no = 4");
        exec(erp, "update item set title = 'edited by hand' where id = 1");

        Run run = resync("--map", customers);

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("map '" + customers + "'", "public.account", "every row");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(without9(image(erp, CUSTOMERS))).isEqualTo(image(crm, ACCOUNTS));
        });
        assertThat(image(erp, CUSTOMERS)).containsEntry("9", "erp only|9.0000000000|null");
        Thread.sleep(2_000); // a resync of the other map would have arrived by now
        assertThat(image(erp, "select id, title from item")).containsEntry("1", "edited by hand");
    }

    @Test
    @Order(2)
    void shouldResyncOnlyRowsChangedSinceTheGivenTime() throws Exception {
        // an update of an unmapped column only: nothing travels, but the row counts as changed
        exec(crm, "update account set updated_at = timestamptz '2026-06-01T00:00:00Z' where id = 5");
        exec(erp, "update customer set name = 'edited by hand' where no in (4, 5)");

        Run run = resync("--map", customers, "--since", "2025-01-01T00:00:00Z");

        assertThat(run.exitCode).as(run.err).isZero();
        assertThat(run.out).contains("updated_at");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(image(erp, CUSTOMERS).get("5")).isEqualTo(image(crm, ACCOUNTS).get("5")));
        Thread.sleep(2_000); // row 4 would have been repaired by now if it had been read again
        assertThat(image(erp, CUSTOMERS).get("4")).startsWith("edited by hand|");
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(3)
    void shouldRefuseAnUnknownMapNamingTheKnownOnes() {
        Run run = resync("--map", "no-such-map");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("no map named 'no-such-map'", customers, items);
    }

    @Test
    @Order(4)
    void shouldRefuseSinceOnAMapWithoutAChangedAtColumn() {
        Run run = resync("--map", items, "--since", "2025-01-01");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("map '" + items + "'", "changedAt");
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run resync(String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] args = new String[options.length + 3];
        args[0] = "resync";
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Map<String, String> without9(Map<String, String> rows) {
        rows.remove("9");
        return rows;
    }

    /** Per key, every mapped column as text, joined: compared column by column. */
    private static Map<String, String> image(Connection c, String sql) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 2; i <= columns; i++) {
                    row.append(i > 2 ? "|" : "").append(rs.getString(i));
                }
                rows.put(rs.getString(1), row.toString());
            }
        }
        return rows;
    }
}
