package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.contract.Headers;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.DualsyncCommand;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
 * The operator's path through a failure (issue 5), end to end over a real broker, registry and
 * PostgreSQL: a row the target refuses (its CHECK constraint) lands in the dead-letter
 * topic with its headers while the other rows flow; the operator sees it with {@code dlt list},
 * looks at it with {@code dlt show}, drops the constraint, replays it with {@code dlt replay} and it
 * arrives; a second replay changes nothing; {@code dlt purge} removes it. And a contact that
 * arrives before its account (a foreign key in the target) waits in the retry topic and is applied
 * once the account is there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetterReplayIT {

    static final String TARGET = "dlrerp";
    static final String DLT = Topics.deadLetter(TARGET);

    @TempDir
    static Path dir;
    static Path config;
    static Connection source;
    static Connection target;
    static ServiceHost host;
    static Startup.Checked checked;

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        String sourceUrl = infra.postgres().createDatabase("dlr_crm");
        String targetUrl = infra.postgres().createDatabase("dlr_erp");
        source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
        target = DriverManager.getConnection(targetUrl, infra.postgres().user(), null);
        exec(source, "create table account (id int primary key, name text, credit_limit numeric(12,2))");
        exec(source, "create table contact (id int primary key, account_id int, name text)");
        exec(target, "create table customer (no int primary key, name text, credit_limit numeric(12,2) "
                + "constraint customer_credit_limit_check check (credit_limit >= 0))");
        exec(target, "create table person (id int primary key, customer_no int references customer (no), name text)");
        config = Files.writeString(dir.resolve("dlr.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-deadletterreplayit }
                registry: { url: "%s" }
                endpoints:
                  dlrcrm: { kind: postgres, url: "%s", user: %s }
                  dlrerp: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: dlrcustomers
                    a: dlrcrm.public.account
                    b: dlrerp.public.customer
                    key: [ { a: id, b: no } ]
                    fields:
                      - { a: name, b: name }
                      - { a: credit_limit, b: credit_limit }
                  - name: dlrcontacts
                    a: dlrcrm.public.contact
                    b: dlrerp.public.person
                    key: [ { a: id, b: id } ]
                    fields:
                      - { a: account_id, b: customer_no }
                      - { a: name, b: name }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                sourceUrl, infra.postgres().user(), targetUrl, infra.postgres().user()));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of("dlrcrm"), source, target);
    }

    @Test
    @Order(1)
    void shouldDeadLetterARefusedRowListItReplayItAfterTheFixAndPurgeIt() throws Exception {
        exec(source, "insert into account values (1, 'Ann', 10.00)");
        exec(source, "insert into account values (2, 'Bartholomew', -20.00)");  // the target's CHECK refuses it
        exec(source, "insert into account values (3, 'Cy', 30.00)");

        // the rest keeps flowing; the refused row waits in the dead-letter topic with its reason
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from customer where no in (1, 3)") == 2);
        List<ConsumerRecord<byte[], byte[]>> dead = read(DLT, 1);
        assertThat(dead).hasSize(1);
        Map<String, String> headers = headers(dead.getFirst());
        assertThat(headers)
                .containsEntry(Headers.MAP, "dlrcustomers")
                .containsEntry(Headers.STAGE, "apply")
                .containsEntry(Headers.ERROR_CLASS, Headers.ERROR_CLASS_PERMANENT)
                .containsEntry(Headers.ERROR_EXCEPTION, "org.postgresql.util.PSQLException")
                .containsEntry(Headers.SQL_STATE, "23514")
                .containsEntry(Headers.ORIGINAL_TOPIC, Topics.mapped("dlrcustomers", TARGET))
                .containsKeys(Headers.ATTEMPTS, Headers.FIRST_FAILURE, Headers.LAST_FAILURE,
                        Headers.ORIGINAL_PARTITION, Headers.ORIGINAL_OFFSET);
        assertThat(headers.get(Headers.ERROR_MESSAGE)).contains("violates check constraint")
                .contains("customer_credit_limit_check").doesNotContain("Bartholomew").doesNotContain("-20");
        assertThat(count("select count(*) from customer")).isEqualTo(2);
        String position = dead.getFirst().partition() + ":" + dead.getFirst().offset();

        Result list = dlt("list", "--endpoint", TARGET);
        assertThat(list.exit).as(list.err).isZero();
        assertThat(list.out).contains(DLT + ": 1 dead letter(s)").contains("dlrcustomers").contains("permanent")
                .contains("23514").contains("violates check constraint").doesNotContain("Bartholomew");
        Result conflicts = dlt("list", "--endpoint", TARGET, "--error-class", "conflict");
        assertThat(conflicts.out).as(conflicts.err).contains("no dead letters match");

        Result show = dlt("show", "--endpoint", TARGET, "--offset", position);
        assertThat(show.exit).as(show.err).isZero();
        assertThat(show.out).contains(Headers.SQL_STATE + ": 23514").contains("\"name\" : \"Bartholomew\"")
                .contains("\"credit_limit\" : \"-20.00\"");

        // the operator fixes the cause, then replays
        exec(target, "alter table customer drop constraint customer_credit_limit_check");
        Result replay = dlt("replay", "--endpoint", TARGET, "--map", "dlrcustomers");
        assertThat(replay.exit).as(replay.err).isZero();
        assertThat(replay.out).contains("replayed 1 of 1").contains("1 dead letter(s) re-published");
        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from customer where no = 2 and name = 'Bartholomew'") == 1);
        String before = rowAndBookkeeping(2);

        // a second replay changes nothing: apply skips a change not newer than the row holds
        Result again = dlt("replay", "--endpoint", TARGET, "--offset", position);
        assertThat(again.exit).as(again.err).isZero();
        awaitApplyCaughtUp(Topics.mapped("dlrcustomers", TARGET));
        assertThat(rowAndBookkeeping(2)).isEqualTo(before);
        assertThat(read(DLT, 1)).hasSize(1);   // nothing new was dead-lettered

        Result purge = dlt("purge", "--endpoint", TARGET, "--all", "--yes");
        assertThat(purge.exit).as(purge.err).isZero();
        assertThat(purge.out).contains("purged 1 dead letter(s)");
        Result after = dlt("list", "--endpoint", TARGET);
        assertThat(after.out).as(after.err).contains("no dead letters match");
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(2)
    void shouldApplyAChildWhoseParentArrivesLaterAfterARetry() throws Exception {
        exec(source, "insert into contact values (10, 99, 'Eve')");   // account 99 is not there yet
        List<ConsumerRecord<byte[], byte[]>> retries = read(Topics.retry(TARGET), 1);
        assertThat(retries).isNotEmpty();
        assertThat(headers(retries.getFirst()))
                .containsEntry(Headers.ERROR_CLASS, Headers.ERROR_CLASS_DEPENDENT)
                .containsEntry(Headers.SQL_STATE, "23503")
                .containsEntry(Headers.RETRY_COUNT, "1")
                .containsEntry(Headers.ORIGINAL_TOPIC, Topics.mapped("dlrcontacts", TARGET))
                .containsKey(Headers.RETRY_DUE);
        assertThat(count("select count(*) from person")).isZero();

        exec(source, "insert into account values (99, 'Dee', 1.00)");

        await().atMost(Duration.ofSeconds(90)).until(() -> count("select count(*) from person where id = 10 and customer_no = 99") == 1);
        Result contacts = dlt("list", "--endpoint", TARGET, "--map", "dlrcontacts");
        assertThat(contacts.out).as(contacts.err).contains("no dead letters match");
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(3)
    void shouldSayClearlyWhenTheDeadLetterTopicDoesNotExist() throws Exception {
        Path other = Files.writeString(dir.resolve("missing.yaml"), Files.readString(config).replace("dlrerp", "dlrnone"));
        Result list = run(other, "dlt", "list", "--endpoint", "dlrnone");
        assertThat(list.exit).isEqualTo(1);
        assertThat(list.err).as(list.out).contains("topic dualsync.dlt.dlrnone does not exist");
    }

    /** The target row's version and its bookkeeping, as text: equal before and after means untouched. */
    private static String rowAndBookkeeping(int no) throws SQLException {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(
                "select c.xmin::text, r.source_position, r.row_hash, r.updated_at::text, r.xmin::text "
                        + "from customer c join dualsync.row_state r on r.map_name = 'dlrcustomers' and r.row_key = '[\"" + no + "\"]' "
                        + "where c.no = " + no)) {
            assertThat(rs.next()).as("customer %s and its bookkeeping", no).isTrue();
            return rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5);
        }
    }

    /** Waits until the apply consumer group has committed everything on the topic. */
    private static void awaitApplyCaughtUp(String topic) {
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, checked.config().kafka().bootstrap());
        try (Admin admin = Admin.create(props)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("it-deadletterreplayit-apply-" + TARGET)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                var end = admin.listOffsets(latest).all().get();
                return end.entrySet().stream().allMatch(e -> committed.containsKey(e.getKey())
                        && committed.get(e.getKey()).offset() >= e.getValue().offset());
            });
        }
    }

    record Result(int exit, String out, String err) {
    }

    private static Result dlt(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "dlt";
        all[1] = args[0];
        all[2] = "--config=" + config;
        System.arraycopy(args, 1, all, 3, args.length - 1);
        return execute(all);
    }

    private static Result run(Path file, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config=" + file);
        return execute(all.toArray(String[]::new));
    }

    private static Result execute(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = DualsyncCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
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

    private static long count(String sql) throws SQLException {
        return Sql.count(target, sql);
    }
}
