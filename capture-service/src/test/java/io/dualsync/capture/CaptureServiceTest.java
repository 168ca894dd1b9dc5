package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.dualsync.capture.TestConfigs.map;
import static io.dualsync.capture.TestConfigs.postgres;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The service's life cycle against a real PostgreSQL and a real broker. The happy path needs a
 * schema registry and lives in integration-tests ({@code CaptureServiceIT}); here the registry
 * is unreachable, which is exactly how an engine that dies must be reported.
 */
@ExtendWith(TestKafka.class)
class CaptureServiceTest {

    private static final CaptureOptions OPTIONS = CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20))
            .withMeters(new SimpleMeterRegistry());
    private static final String NO_REGISTRY = "http://localhost:1";

    @Test
    void shouldRefuseToStartAndCreateNoTopicWhenTheDatabaseIsNotReadyForCapture() throws Exception {
        String url = TestPostgres.replicaOnly().createDatabase("notready");
        TestPostgres.execute(url, "CREATE TABLE account (id int PRIMARY KEY)");
        SyncConfig config = config(url, "notready");

        try (CaptureService service = new CaptureService(config, "notready", OPTIONS)) {
            assertThatThrownBy(service::start).isInstanceOf(CapturePreconditionException.class)
                    .hasMessageContaining("wal_level is 'replica'");
            assertThat(service.isRunning()).isFalse();
        }
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("dualsync.raw.notready.public.account",
                    "dualsync.offsets.notready");
        }
    }

    @Test
    void shouldReportAnEngineThatDiesThroughFailureAndLeaveTheTopicEmpty() throws Exception {
        String url = TestPostgres.logical().createDatabase("dies");
        TestPostgres.execute(url, "CREATE TABLE account (id int PRIMARY KEY, name text)",
                "INSERT INTO account VALUES (1, 'Ada')");
        SyncConfig config = config(url, "dies");
        Endpoint endpoint = config.endpoint("dies");

        try (CaptureService service = new CaptureService(config, "dies", OPTIONS)) {
            service.start();
            // the snapshot event cannot be serialized without the registry: the engine must stop
            Throwable failure = catchThrowable(() -> service.stopped().get(90, TimeUnit.SECONDS));

            assertThat(failure).isInstanceOf(ExecutionException.class);
            assertThat(service.isRunning()).isFalse();
            assertThat(endOffset("dualsync.raw.dies.public.account")).isZero();
            assertThatThrownBy(service::start).isInstanceOf(IllegalStateException.class);
        } finally {
            CaptureService.dropSlotAndPublication(endpoint);
        }
        assertThat(count(url, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'dualsync_dies'")).isZero();
        assertThat(count(url, "SELECT count(*) FROM pg_publication WHERE pubname = 'dualsync_dies'")).isZero();
    }

    @Test
    void shouldReleaseItsReplicationSlotWhenClosedWhileItsTaskIsStillStarting() throws Exception {
        String url = TestPostgres.logical().createDatabase("early");
        // an empty table: no snapshot record, so the engine (without a registry) keeps streaming
        TestPostgres.execute(url, "CREATE TABLE account (id int PRIMARY KEY, name text)");
        SyncConfig config = config(url, "early");
        Endpoint endpoint = config.endpoint("early");
        String slotExists = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'dualsync_early'";
        try {
            CaptureService service = new CaptureService(config, "early", OPTIONS);
            service.start();
            // the task creates the slot while it starts: close as soon as the slot is there
            long deadline = System.currentTimeMillis() + 60_000;
            while (count(url, slotExists) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            service.close();

            assertThat(service.isRunning()).isFalse();
            // the server's walsender exits right after the client's goodbye; allow it a moment, no more
            long released = System.currentTimeMillis() + 2_000;
            while (count(url, slotExists + " AND active") > 0 && System.currentTimeMillis() < released) {
                Thread.sleep(20);
            }
            assertThat(count(url, slotExists + " AND active")).as("slot still held after close()").isZero();
        } finally {
            CaptureService.dropSlotAndPublication(endpoint);
        }
    }

    @Test
    void shouldDropNothingQuietlyWhenThereIsNoSlotOrPublication() {
        String url = TestPostgres.logical().createDatabase("clean");

        CaptureService.dropSlotAndPublication(postgres("clean", url, "postgres", null));

        assertThat(count(url, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'dualsync_clean'")).isZero();
    }

    private static SyncConfig config(String url, String endpoint) {
        return TestConfigs.config(TestKafka.bootstrapServers(), NO_REGISTRY,
                List.of(postgres(endpoint, url, "postgres", null), postgres("other", "jdbc:postgresql://localhost:1/x", "u", null)),
                List.of(map("accounts", endpoint + ".public.account", "other.public.account")));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    }

    private static long endOffset(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = admin()) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
        }
    }

    private static long count(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", null);
             PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
