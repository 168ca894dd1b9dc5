package io.dualsync.it;

import io.dualsync.apply.ApplyService;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CaptureService;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.infra.EmbeddedRegistry;
import io.dualsync.transform.TransformService;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.dualsync.it.Sql.exec;
import static io.dualsync.it.Sql.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schema registry outage (issue 5). While the registry is down, a transform with raw changes to
 * map and an apply with mapped changes to write, both newly started (so no schema is cached),
 * neither stop nor dead-letter anything: they wait, and once the registry is back every change
 * arrives, exactly. Before, transform stopped with an error and apply sent every record it could
 * not decode to the dead-letter topic.
 */
class RegistryOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void shouldWaitForTheRegistryAndThenApplyEveryChangeWithoutDeadLetters() throws Exception {
        SharedInfrastructure infra = SharedInfrastructure.get();
        String crm = SharedInfrastructure.uniqueName("rocrm");
        String erp = SharedInfrastructure.uniqueName("roerp");
        String crmUrl = infra.postgres().createDatabase(crm);
        String erpUrl = infra.postgres().createDatabase(erp);
        String user = infra.postgres().user();
        try (Connection source = DriverManager.getConnection(crmUrl, user, null);
             Connection target = DriverManager.getConnection(erpUrl, user, null)) {
            exec(source, "create table account (id int primary key, name text, credit numeric(14,4))");
            exec(target, "create table customer (no int primary key, name text, credit numeric(14,4))");
            Path config = Files.writeString(dir.resolve("outage.yaml"), """
                    kafka:
                      bootstrap: "%s"
                      applicationId: %s
                      # a restarted transform (and a stream thread replaced after the outage) gets
                      # its partitions once the old member's session timed out: 45 s by default
                      properties: { session.timeout.ms: "8000", heartbeat.interval.ms: "2000" }
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
                          - { a: name, b: name }
                          - { a: credit, b: credit }
                    """.formatted(infra.bootstrapServers(), crm, infra.registry().url(), crm, crmUrl, user, erp, erpUrl,
                    user, crm, crm, erp));
            Startup.Checked checked = Startup.loadAndCheck(config);
            EmbeddedRegistry registry = infra.registry();
            String mappedTopic = Topics.mapped(crm, erp);
            long mappedBefore;
            try (ServiceHost capture = new ServiceHost(); ServiceHost transform = new ServiceHost()) {
                new Pipeline(checked, capture).startCapture(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
                new Pipeline(checked, transform).startTransform();
                try (ServiceHost apply = new ServiceHost()) {
                    new Pipeline(checked, apply).startApply();
                    exec(source, "insert into account values (0, 'before the outage', 1.0000)");
                    await().atMost(Duration.ofSeconds(120)).until(() -> count(target, "select count(*) from customer") == 1);
                }
                // apply is down: these reach the mapped topic only
                exec(source, "insert into account select g, 'row ' || g || ' ü€😀', g * 1.0001 from generate_series(1, 50) g");
                await().atMost(Duration.ofSeconds(60)).until(() -> endOffsets(infra, mappedTopic) >= 51);
                transform.close();
                mappedBefore = endOffsets(infra, mappedTopic);
                // transform is down too: these reach the raw topic only
                exec(source, "insert into account select g, 'late ' || g, g * 0.0001 from generate_series(51, 60) g");
                exec(source, "update account set name = 'updated', credit = 123456789.1234 where id = 0");
                String rawTopic = Topics.raw(checked.config().maps().getFirst().a());
                await().atMost(Duration.ofSeconds(60)).until(() -> endOffsets(infra, rawTopic) >= 62);
            }
            // new transform and apply instances: nothing cached, every schema must come from the registry
            registry.stop(true);
            boolean registryDown = true;
            try (TransformService transform = new TransformService(checked.config(), checked.catalog());
                 ApplyService apply = new ApplyService(checked.config(), checked.catalog(), erp)) {
                transform.start();
                apply.start();
                // a restarted Streams member may wait out the old one's session before it gets work
                await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(120))
                        .until(() -> transform.state() == KafkaStreams.State.RUNNING);
                Thread.sleep(OUTAGE.toMillis());

                assertThat(transform.failure()).as("transform during the outage").isEmpty();
                assertThat(apply.failure()).as("apply during the outage").isEmpty();
                assertThat(count(target, "select count(*) from customer")).as("rows applied without schemas").isEqualTo(1);
                assertThat(endOffsets(infra, mappedTopic)).as("records mapped without schemas").isEqualTo(mappedBefore);
                registry.startAgain();
                registryDown = false;

                // a stream thread that met the outage ends by its exception (and is replaced): not a test failure
                await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(120))
                        .until(() -> count(target, "select count(*) from customer") == 61
                        && count(target, "select count(*) from customer where no = 0 and name = 'updated'") == 1);
                assertThat(transform.failure()).isEmpty();
                assertThat(apply.failure()).isEmpty();
            } finally {
                if (registryDown) {
                    registry.startAgain(); // the other tests share it
                }
                CaptureService.dropSlotAndPublication(checked.config().endpoint(crm));
            }
            assertThat(rows(target, "customer", "no")).hasSize(61).isEqualTo(rows(source, "account", "id"));
            assertThat(endOffsets(infra, Topics.deadLetter(erp))).as("dead letters").isZero();
        }
    }

    /** Key to name and credit, every digit. */
    private static Map<Integer, String> rows(Connection c, String table, String key) throws SQLException {
        Map<Integer, String> rows = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select " + key + ", name, credit from " + table)) {
            while (r.next()) {
                BigDecimal credit = r.getBigDecimal(3);
                rows.put(r.getInt(1), r.getString(2) + "|" + credit.toPlainString());
            }
        }
        return rows;
    }

    /** Records written to the topic so far (all partitions); 0 for a topic that does not exist. */
    private static long endOffsets(SharedInfrastructure infra, String topic) throws Exception {
        return TopicOffsets.endOffsets(infra.bootstrapServers(), java.util.List.of(topic));
    }
}
