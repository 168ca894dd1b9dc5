package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.contract.Headers;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Changes that cannot be synced leave the stream with their reason while everything else keeps
 * flowing: a status missing from the value map is dead-lettered by transform, a row the target's
 * CHECK constraint rejects is dead-lettered by apply. Both records sit in
 * {@code dualsync.dlt.<target>} with the headers an operator needs, and no row value is lost:
 * the record is there unchanged.
 */
class DeadLetterIT {

    @TempDir
    static Path dir;
    static Connection source;
    static Connection target;
    static ServiceHost host;
    static Startup.Checked checked;

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        String sourceUrl = infra.postgres().createDatabase("dlt_crm");
        String targetUrl = infra.postgres().createDatabase("dlt_erp");
        source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
        target = DriverManager.getConnection(targetUrl, infra.postgres().user(), null);
        exec(source, "create table account (id int primary key, status text, credit_limit numeric(12,2))");
        exec(target, "create table customer (no int primary key, blocked text, credit_limit numeric(12,2) check (credit_limit >= 0))");
        Path config = Files.writeString(dir.resolve("dlt.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-deadletterit }
                registry: { url: "%s" }
                endpoints:
                  dltcrm: { kind: postgres, url: "%s", user: %s }
                  dlterp: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: dltcustomers
                    a: dltcrm.public.account
                    b: dlterp.public.customer
                    key: [ { a: id, b: no } ]
                    fields:
                      - { a: status, b: blocked, values: { active: "", inactive: "all" } }
                      - { a: credit_limit, b: credit_limit }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                sourceUrl, infra.postgres().user(), targetUrl, infra.postgres().user()));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of("dltcrm"), source, target);
    }

    @Test
    void shouldDeadLetterWhatCannotBeSyncedAndKeepSyncingTheRest() throws Exception {
        exec(source, "insert into account values (1, 'active', 10.00)");
        exec(source, "insert into account values (2, 'on-hold', 20.00)");   // not in the value map
        exec(source, "insert into account values (3, 'active', -5.00)");    // the target's CHECK refuses it
        exec(source, "insert into account values (4, 'inactive', 40.00)");

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from customer where no in (1, 4)") == 2);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readDeadLetters(Topics.deadLetter("dlterp"), 2);

        assertThat(count("select count(*) from customer")).isEqualTo(2);
        assertThat(deadLetters).hasSize(2);
        Map<String, Map<String, String>> byStage = new HashMap<>();
        deadLetters.forEach(r -> byStage.put(header(r, Headers.STAGE), headers(r)));

        Map<String, String> unmapped = byStage.get("transform");
        assertThat(unmapped).containsEntry(Headers.MAP, "dltcustomers")
                .containsEntry(Headers.ORIGINAL_TOPIC, "dualsync.raw.dltcrm.public.account")
                .containsEntry(Headers.ATTEMPTS, "1")
                .containsKeys(Headers.ERROR_CLASS, Headers.FIRST_FAILURE, Headers.LAST_FAILURE, Headers.ORIGINAL_OFFSET);
        assertThat(unmapped.get(Headers.ERROR_MESSAGE)).contains("blocked").contains("value map").doesNotContain("on-hold");

        Map<String, String> rejected = byStage.get("apply");
        assertThat(rejected).containsEntry(Headers.MAP, "dltcustomers")
                .containsEntry(Headers.SQL_STATE, "23514")
                .containsEntry(Headers.ORIGINAL_TOPIC, "dualsync.mapped.dltcustomers.dlterp");
        assertThat(rejected.get(Headers.ERROR_MESSAGE)).contains("credit_limit");
        assertThat(host.firstFailure()).isEmpty();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(String topic, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, checked.config().kafka().bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add); // a surplus record would show here
            return records;
        }
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> m = new HashMap<>();
        for (Header h : r.headers()) {
            m.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return headers(r).get(name);
    }

    private static long count(String sql) throws SQLException {
        return Sql.count(target, sql);
    }
}
