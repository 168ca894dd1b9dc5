package io.dualsync.it;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.config.Side;
import io.dualsync.contract.Headers;
import io.dualsync.contract.RegistrySerdeSettings;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.DualsyncCommand;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.dualsync.it.Sql.exec;
import static io.dualsync.it.Sql.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Bad input of issue 5 that no other test covers, each with the message an operator sees and
 * nothing lost, over a real broker, registry and PostgreSQL:
 * <ol>
 *   <li>a text too long for the target's {@code varchar(10)}: dead-lettered with a reason naming
 *       the column and the length, never the value; the rows around it arrive;</li>
 *   <li>a record on a mapped topic (another producer, a replay) whose Avro text is not valid
 *       UTF-8 (a lone surrogate encoded CESU-8 style): dead-lettered as undecodable, not written
 *       with U+FFFD in its place; what a Java client's lone surrogate becomes at the source arrives
 *       exactly;</li>
 *   <li>records on a mapped topic with a schema id the registry does not know, and written with
 *       another, incompatible schema: dead-lettered as undecodable with their original
 *       topic, partition and offset; later changes are applied;</li>
 *   <li>a wrong database password at {@code dualsync run}: refused before anything is consumed,
 *       naming the endpoint and the authentication failure, never the password;</li>
 *   <li>an unreachable broker at {@code dualsync run}: refused within a bounded time, naming the
 *       bootstrap address and what to check.</li>
 * </ol>
 * Covered elsewhere: config mistakes (DualsyncCommandTest, ValidateCommandIT), a target constraint
 * (DeadLetterIT, DeadLetterReplayIT), a wrong password at validate (SecretsIT), an unreachable
 * broker for {@code status} and {@code dlt} (StatusIT, DltCommandTest).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {

    static final String SOURCE = "badinsrc";
    static final String TARGET = "badindst";
    static final String MAP = "badinitems";
    static final String MAPPED = Topics.mapped(MAP, TARGET);
    static final String DLT = Topics.deadLetter(TARGET);
    static final String WRONG_PASSWORD = "wrongPw-" + SharedInfrastructure.uniqueName("x");

    @TempDir
    static Path dir;
    static String sourceUrl;
    static String targetUrl;
    static Connection source;
    static Connection target;
    static ServiceHost host;
    static Startup.Checked checked;

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        sourceUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("badin_src"));
        targetUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("badin_dst"));
        source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
        target = DriverManager.getConnection(targetUrl, infra.postgres().user(), null);
        exec(source, "create table item (id int primary key, code text, label text)");
        exec(target, "create table article (id int primary key, code varchar(10), label text)");
        Path config = writeConfig("bad-input.yaml", infra.bootstrapServers(), TARGET, "");
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(SOURCE), source, target);
    }

    @Test
    @Order(1)
    void shouldDeadLetterATextTooLongForTheTargetColumnNamingColumnAndLengthAndKeepTheRowsAround() throws Exception {
        String tooLong = "TOO-LONG-CODE-4711";   // 18 characters for varchar(10)
        exec(source, "insert into item values (1, 'A-1', 'first')");
        exec(source, "insert into item values (2, '" + tooLong + "', 'second')");
        exec(source, "insert into item values (3, 'A-3', 'third')");

        await().atMost(Duration.ofSeconds(90)).until(() -> count(target, "select count(*) from article where id in (1, 3)") == 2);
        List<ConsumerRecord<byte[], byte[]>> dead = awaitDeadLetters(r -> "transform".equals(header(r, Headers.STAGE)), 1);

        assertThat(dead).hasSize(1);
        Map<String, String> headers = headers(dead.getFirst());
        assertThat(headers).containsEntry(Headers.MAP, MAP)
                .containsEntry(Headers.ORIGINAL_TOPIC, Topics.raw(checked.config().maps().getFirst().table(Side.A)))
                .containsKeys(Headers.ERROR_CLASS, Headers.ORIGINAL_PARTITION, Headers.ORIGINAL_OFFSET);
        assertThat(headers.get(Headers.ERROR_MESSAGE)).contains("'code'").contains("18 characters").contains("(10)");
        assertThat(String.join("|", headers.values())).doesNotContain(tooLong);
        System.out.printf("BadInputIT: too long: %s%n", headers.get(Headers.ERROR_MESSAGE));
        // nothing lost: every source row is in the target or in the dead-letter topic
        assertThat(count(source, "select count(*) from item")).isEqualTo(count(target, "select count(*) from article") + dead.size());
        assertThat(count(target, "select count(*) from article where id = 2")).isZero();
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(2)
    void shouldDeadLetterAMappedRecordWhoseTextIsNotUtf8InsteadOfWritingReplacementCharacters() throws Exception {
        // a record for row 50 in the topic's own schema, its label's bytes made "a", U+D800 as CESU-8, "b"
        ConsumerRecord<byte[], byte[]> template = readFirst(MAPPED);
        byte[] marker = "a\u0001\u0002\u0003b".getBytes(StandardCharsets.UTF_8);
        byte[] value = reframe(template.value(), false, r -> {
            ((GenericRecord) r.get("key")).put("id", 50);
            GenericRecord columns = (GenericRecord) r.get("columns");
            columns.put("id", 50);
            columns.put("code", "A-50");
            columns.put("label", new String(marker, StandardCharsets.UTF_8));
        });
        byte[] key = reframe(template.key(), true, r -> r.put("id", 50));
        byte[] invalid = replace(value, marker, new byte[]{'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b'});
        RecordMetadata sent = publish(MAPPED, key, invalid);

        // text from the source itself cannot hold a lone surrogate: the Java client sends '?' for it, and that arrives exactly
        exec(source, "insert into item values (4, 'A-4', 'x\uD800y')");
        String stored = text(source, "select label from item where id = 4");
        await().atMost(Duration.ofSeconds(90)).until(() -> count(target, "select count(*) from article where id = 4") == 1);
        assertThat(text(target, "select label from article where id = 4")).isEqualTo(stored).isEqualTo("x?y");

        List<ConsumerRecord<byte[], byte[]>> dead = awaitDeadLetters(r -> isFrom(r, MAPPED, sent.offset()), 1);
        assertThat(dead).hasSize(1);
        Map<String, String> headers = headers(dead.getFirst());
        assertThat(headers).containsEntry(Headers.ERROR_CLASS, Headers.ERROR_CLASS_UNDECODABLE)
                .containsEntry(Headers.STAGE, "apply").containsEntry(Headers.MAP, MAP)
                .containsEntry(Headers.ORIGINAL_PARTITION, Integer.toString(sent.partition()));
        assertThat(headers.get(Headers.ERROR_MESSAGE)).contains("column 'label'").contains("not valid UTF-8");
        System.out.printf("BadInputIT: invalid UTF-8: %s%n", headers.get(Headers.ERROR_MESSAGE));
        assertThat(dead.getFirst().value()).as("the record's bytes are kept unchanged").isEqualTo(invalid);
        assertThat(count(target, "select count(*) from article where id = 50")).as("never written with U+FFFD").isZero();
        assertThat(count(target, "select count(*) from article where label like '%' || chr(65533) || '%'")).isZero();
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(3)
    void shouldDeadLetterMappedRecordsOfAnUnknownOrIncompatibleSchemaAndApplyTheNextChange() throws Exception {
        // Confluent framing with a content id the registry never gave out
        ByteBuffer unknownId = ByteBuffer.allocate(5 + 4).put((byte) 0).putInt(987_654_321).put(new byte[]{2, 4, 6, 8});
        RecordMetadata unknown = publish(MAPPED, null, unknownId.array());
        // a record written with another schema, registered under its own artifact
        Schema other = new Schema.Parser().parse("""
                {"type": "record", "name": "Invoice", "namespace": "com.example.billing",
                 "fields": [{"name": "number", "type": "long"}, {"name": "total", "type": "double"}]}""");
        long contentId = register("badinput-invoice-" + SharedInfrastructure.uniqueName("v"), other.toString());
        GenericRecord invoice = new GenericData.Record(other);
        invoice.put("number", 4711L);
        invoice.put("total", 99.5);
        RecordMetadata incompatible = publish(MAPPED, null, framed(contentId, other, invoice));

        exec(source, "insert into item values (5, 'A-5', 'after the bad records')");
        await().atMost(Duration.ofSeconds(90)).until(() -> count(target, "select count(*) from article where id = 5") == 1);

        for (RecordMetadata sent : List.of(unknown, incompatible)) {
            List<ConsumerRecord<byte[], byte[]>> dead = awaitDeadLetters(r -> isFrom(r, MAPPED, sent.offset()), 1);
            assertThat(dead).as("dead letter of offset %s", sent.offset()).hasSize(1);
            Map<String, String> headers = headers(dead.getFirst());
            assertThat(headers).containsEntry(Headers.ERROR_CLASS, Headers.ERROR_CLASS_UNDECODABLE)
                    .containsEntry(Headers.ORIGINAL_TOPIC, MAPPED)
                    .containsEntry(Headers.ORIGINAL_PARTITION, Integer.toString(sent.partition()))
                    .containsEntry(Headers.ORIGINAL_OFFSET, Long.toString(sent.offset()))
                    .containsKeys(Headers.ERROR_MESSAGE, Headers.ERROR_EXCEPTION, Headers.FIRST_FAILURE);
            System.out.printf("BadInputIT: offset %d dead-lettered as %s: %s%n", sent.offset(),
                    headers.get(Headers.ERROR_EXCEPTION), headers.get(Headers.ERROR_MESSAGE));
        }
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(4)
    void shouldRefuseToRunWithAWrongDatabasePasswordBeforeConsumingAnything() throws Exception {
        var pg = SharedInfrastructure.get().postgres();
        String user = SharedInfrastructure.uniqueName("badin_apply");
        String rightPassword = "rightPw-" + SharedInfrastructure.uniqueName("x");
        String endpoint = "badinpwd";
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), null); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + user + " LOGIN SUPERUSER PASSWORD '" + rightPassword + "'");
        }
        try (PasswordRule ignored = PasswordRule.require(user)) {
            Files.writeString(dir.resolve("wrong.password"), WRONG_PASSWORD + "\n");
            Path config = writeConfig("wrong-password.yaml", SharedInfrastructure.get().bootstrapServers(), endpoint,
                    ", user: " + user + ", passwordFile: wrong.password");

            Result run = runWithin(Duration.ofSeconds(90), "run", "--config", config.toString(), "--metrics-port", "0");

            assertThat(run.exit).as(run.err).isEqualTo(1);
            assertThat(run.err).contains("endpoint '" + endpoint + "'").contains("authentication failed")
                    .contains("user \"" + user + "\"")
                    // only the cause: the tables of an endpoint that could not be read are not "missing"
                    .contains("1 catalog problem(s)").doesNotContain("does not exist")
                    .doesNotContain(WRONG_PASSWORD).doesNotContain(rightPassword);
            assertThat(run.out).doesNotContain(WRONG_PASSWORD);
            System.out.printf("BadInputIT: wrong password: %s%n", run.err.strip());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().bootstrapServers()))) {
                assertThat(admin.listConsumerGroupOffsets("it-badinputit-apply-" + endpoint).partitionsToOffsetAndMetadata().get())
                        .as("nothing consumed").isEmpty();
                assertThat(admin.listTopics().names().get()).doesNotContain(Topics.deadLetter(endpoint));
            }
        }
    }

    @Test
    @Order(5)
    void shouldRefuseToRunWithinABoundedTimeWhenTheBrokerIsUnreachable() throws Exception {
        Path config = writeConfig("no-broker.yaml", "localhost:1", "badinnobroker", "");

        long started = System.nanoTime();
        Result run = runWithin(Duration.ofSeconds(120), "run", "--config", config.toString(), "--metrics-port", "0");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(run.exit).as(run.err).isEqualTo(1);
        assertThat(run.err).contains("Cannot reach Kafka at localhost:1 within 30 s")
                .contains("Check kafka.bootstrap").contains("Nothing was started");
        assertThat(took).isLessThan(Duration.ofSeconds(60));
        System.out.printf("BadInputIT: dualsync run with an unreachable broker ended after %d s: %s%n", took.toSeconds(), run.err.strip());
    }

    // ---- helpers ----

    /** One-way map item -> article; {@code targetExtra} is added to the target endpoint's settings. */
    private static Path writeConfig(String name, String bootstrap, String targetEndpoint, String targetExtra) throws IOException {
        var infra = SharedInfrastructure.get();
        String targetUser = targetExtra.contains("user:") ? "" : ", user: " + infra.postgres().user();
        return Files.writeString(dir.resolve(name), """
                kafka: { bootstrap: "%s", applicationId: it-badinputit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: postgres, url: "%s"%s%s }
                maps:
                  - name: %s
                    a: %s.public.item
                    b: %s.public.article
                    key: [ { a: id, b: id } ]
                    fields:
                      - { a: code, b: code }
                      - { a: label, b: label }
                """.formatted(bootstrap, infra.registry().url(), SOURCE, sourceUrl, infra.postgres().user(),
                targetEndpoint, targetUrl, targetUser, targetExtra,
                targetEndpoint.equals(TARGET) ? MAP : SharedInfrastructure.uniqueName("badinmap"), SOURCE, targetEndpoint));
    }

    record Result(int exit, String out, String err) {
    }

    /** Runs the {@code dualsync} command line in this JVM; fails the test if it has not ended within {@code limit}. */
    private static Result runWithin(Duration limit, String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = DualsyncCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = runner.submit(() -> cmd.execute(args));
            try {
                return new Result(exit.get(limit.toMillis(), TimeUnit.MILLISECONDS), out.toString(), err.toString());
            } catch (java.util.concurrent.TimeoutException e) {
                exit.cancel(true);
                throw new AssertionError("dualsync " + String.join(" ", args) + " still running after " + limit + ":\n" + out + err);
            }
        } finally {
            runner.shutdownNow();
        }
    }

    /**
     * Makes PostgreSQL ask {@code user} for its password (the shared server trusts local connections)
     * until closed, as SecretsIT does: a {@code scram-sha-256} line for that user only, at the top of pg_hba.conf.
     */
    private record PasswordRule(Path hbaFile, String original) implements AutoCloseable {
        static PasswordRule require(String user) throws Exception {
            var pg = SharedInfrastructure.get().postgres();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), null); Statement s = c.createStatement()) {
                Path hba;
                try (ResultSet r = s.executeQuery("SHOW hba_file")) {
                    r.next();
                    hba = Path.of(r.getString(1));
                }
                String original = Files.readString(hba);
                Files.writeString(hba, "host all " + user + " 127.0.0.1/32 scram-sha-256\nhost all " + user
                        + " ::1/128 scram-sha-256\n" + original);
                s.execute("SELECT pg_reload_conf()");
                PasswordRule rule = new PasswordRule(hba, original);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThatThrownBy(() -> DriverManager.getConnection(targetUrl, user, WRONG_PASSWORD).close())
                                .hasMessageContaining("password authentication failed"));
                return rule;
            }
        }

        @Override
        public void close() throws Exception {
            Files.writeString(hbaFile, original);
            var pg = SharedInfrastructure.get().postgres();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), null); Statement s = c.createStatement()) {
                s.execute("SELECT pg_reload_conf()");
            }
        }
    }

    /** Decodes a Confluent-framed record with the registry, changes it, and encodes it again in the same schema and frame. */
    private static byte[] reframe(byte[] framed, boolean isKey, java.util.function.Consumer<GenericRecord> change) throws IOException {
        try (AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(RegistrySerdeSettings.of(checked.config().registry()), isKey);
            GenericRecord record = deserializer.deserialize(MAPPED, framed);
            change.accept(record);
            return framed(ByteBuffer.wrap(framed, 1, 4).getInt(), record.getSchema(), record);
        }
    }

    private static byte[] framed(long contentId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(ByteBuffer.allocate(4).putInt((int) contentId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static byte[] replace(byte[] bytes, byte[] what, byte[] with) {
        assertThat(what).hasSameSizeAs(with);   // Avro's length prefix stays right
        for (int i = 0; i + what.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + what.length, what, 0, what.length)) {
                byte[] out = bytes.clone();
                System.arraycopy(with, 0, out, i, with.length);
                return out;
            }
        }
        throw new AssertionError("marker not found in the encoded record");
    }

    /** Registers an Avro schema as its own artifact (v2 API) and returns its content id. */
    private static long register(String artifactId, String schema) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(checked.config().registry().v2Api() + "/groups/default/artifacts"))
                .header("Content-Type", "application/json")
                .header("X-Registry-ArtifactId", artifactId)
                .header("X-Registry-ArtifactType", "AVRO")
                .POST(HttpRequest.BodyPublishers.ofString(schema)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Matcher m = Pattern.compile("\"contentId\"\\s*:\\s*(\\d+)").matcher(response.body());
            assertThat(m.find()).as(response.body()).isTrue();
            return Long.parseLong(m.group(1));
        }
    }

    private static RecordMetadata publish(String topic, byte[] key, byte[] value) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, checked.config().kafka().bootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static ConsumerRecord<byte[], byte[]> readFirst(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = read(topic, r -> true, 1, Duration.ofSeconds(30));
        assertThat(records).as("a record on " + topic).isNotEmpty();
        return records.getFirst();
    }

    private static List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(Predicate<ConsumerRecord<byte[], byte[]>> which, int expected) {
        return read(DLT, which, expected, Duration.ofSeconds(90));
    }

    /** The records of {@code topic} matching {@code which}: waits until {@code expected} are there, then a second more for surplus ones. */
    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> which,
                                                             int expected, Duration limit) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, checked.config().kafka().bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + limit.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (which.test(r)) {
                        records.add(r);
                    }
                });
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
                if (which.test(r)) {
                    records.add(r);
                }
            });
            return records;
        }
    }

    private static boolean isFrom(ConsumerRecord<byte[], byte[]> r, String topic, long offset) {
        return topic.equals(header(r, Headers.ORIGINAL_TOPIC)) && Long.toString(offset).equals(header(r, Headers.ORIGINAL_OFFSET));
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

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
