package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.contract.Headers;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline from PostgreSQL to MariaDB over a real broker, registry and both databases,
 * across the type matrix of the README ("PostgreSQL <-> MariaDB"): integer extremes, decimals
 * with every digit, float and double extremes, 4-byte UTF-8 text, leap days, the last
 * microsecond of a day, zone-less timestamps (a DST-gap wall-clock time included), instants into
 * a MariaDB TIMESTAMP and into a DATETIME in the endpoint's zone, UUIDs native and as text, JSON,
 * every byte value, an enum. Existing rows arrive through the snapshot, then live inserts,
 * updates and deletes follow; every column is read back from MariaDB zone-safely (session
 * {@code time_zone='+00:00'}, temporal values as text) and compared exactly. An instant MariaDB's
 * TIMESTAMP cannot hold goes to the dead-letter topic with its reason while other rows arrive.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresToMariaDbIT {

    private static final String SOURCE = "p2m_crm";
    private static final String TARGET = "p2m_erp";
    private static final ZoneId TARGET_ZONE = ZoneId.of("Europe/Berlin");
    private static final BigDecimal MAX_38_10 = new BigDecimal("9999999999999999999999999999.9999999999");
    private static final BigDecimal MAX_65_30 = new BigDecimal(
            "99999999999999999999999999999999999.999999999999999999999999999999");
    private static final String EMOJI_TEXT = "Grüße 👋🏽 from 東京 — 𝄞 \"quoted\" 'single' \\ back";
    private static final byte[] EVERY_BYTE = everyByte();

    @TempDir
    static Path dir;

    static Connection source;
    static Connection target;
    static String targetDatabase;
    static ServiceHost host;
    static Startup.Checked checked;

    /** One row of the matrix, as written to PostgreSQL; the MariaDB row must hold the same values. */
    record Matrix(int id, Integer i2, Integer i4, Long i8, BigDecimal n38, BigDecimal n65, Float f4, Double f8,
                  Boolean flag, String txt, String vc, LocalDate d, LocalTime tm, LocalDateTime ts,
                  Instant tstz, Instant tstzDt, UUID u, UUID uText, String j, byte[] bin, String mood) {

        static Matrix empty(int id) {
            return new Matrix(id, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null);
        }
    }

    static final Matrix MAXIMA = new Matrix(1, (int) Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
            MAX_38_10, MAX_65_30, Float.MAX_VALUE, Double.MAX_VALUE, true, EMOJI_TEXT, "𝄞👋🏽東京 ok",
            LocalDate.of(2024, 2, 29), LocalTime.parse("23:59:59.999999"), LocalDateTime.parse("2024-02-29T23:59:59.999999"),
            Instant.parse("2038-01-19T03:14:07.999999Z"), Instant.parse("2024-02-29T23:59:59.999999Z"),
            UUID.fromString("ffffffff-ffff-4fff-bfff-ffffffffffff"), UUID.fromString("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
            "{\"a\": [1, 2.50, \"x😀\"], \"nested\": {\"k\": null}}", EVERY_BYTE, "happy");

    static final Matrix MINIMA = new Matrix(2, (int) Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE,
            MAX_38_10.negate(), new BigDecimal("-0.000000000000000000000000000001"), Float.MIN_VALUE, Double.MIN_NORMAL,
                        // timestamps before 1582-10-15 are not exact in Debezium 3.5's snapshot (java.sql.Timestamp's
            // Julian calendar, debezium/dbz#1916): the streamed row 6 carries year 1 instead
            false, "", "a", LocalDate.of(1, 1, 1), LocalTime.MIDNIGHT, LocalDateTime.parse("1900-01-01T00:00:00.000001"),
            Instant.parse("1970-01-01T00:00:01Z"), Instant.parse("1969-12-31T23:59:59.999999Z"),
            UUID.fromString("00000000-0000-0000-0000-000000000000"), UUID.fromString("00000000-0000-0000-0000-000000000001"),
            "[]", new byte[0], "sad");

    static final Matrix NULLS = Matrix.empty(3);

    static final Matrix LIVE = new Matrix(4, 0, 0, 0L, new BigDecimal("0.0000000001"),
            new BigDecimal("12345678901234567890123456789012345.123456789012345678901234567890"), 0.1f, 0.1,
            true, "new 🚀 row", "ü", LocalDate.of(2000, 2, 29), LocalTime.parse("12:00:00.000001"),
            // a wall-clock time that does not exist in Europe/Berlin (DST gap): stays as it is
            LocalDateTime.parse("2024-03-31T02:30:00"),
            Instant.parse("2000-01-01T00:00:00.000001Z"),
            // the first 02:30 of the autumn DST overlap in Europe/Berlin
            Instant.parse("2024-10-27T00:30:00Z"),
            UUID.randomUUID(), UUID.randomUUID(), "{\"k\": \"v\"}", new byte[] {0, 0, 1}, "ok");

    @BeforeAll
    static void startPipelineOnPrefilledSource() throws Exception {
        var infra = SharedInfrastructure.get();
        EmbeddedMariaDb mariadb = infra.mariadb();
        String sourceUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("p2m_crm"));
        targetDatabase = SharedInfrastructure.uniqueName("p2m_erp");
        String targetUrl = mariadb.createDatabase(targetDatabase);
        source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
        // server-side prepared statements: FLOAT comes back in binary, not as MariaDB's 6-digit text
        target = DriverManager.getConnection(targetUrl + "?useServerPrepStmts=true", mariadb.user(), mariadb.password());
        exec(target, "SET time_zone = '+00:00'");
        exec(source, "create type mood as enum ('happy', 'sad', 'ok')");
        exec(source, """
                create table matrix (
                  id int primary key, i2 int2, i4 int4, i8 int8, n38 numeric(38,10), n65 numeric(65,30),
                  f4 float4, f8 float8, flag boolean, txt text, vc varchar(50), d date, tm time, ts timestamp,
                  tstz timestamptz, tstz_dt timestamptz, u uuid, u_text uuid, j jsonb, bin bytea, mood mood)""");
        exec(target, """
                CREATE TABLE matrix (
                  id int PRIMARY KEY, i2 smallint, i4 int, i8 bigint, n38 decimal(38,10), n65 decimal(65,30),
                  f4 float, f8 double, flag boolean, txt text, vc varchar(50), d date, tm time(6), ts datetime(6),
                  tstz timestamp(6) NULL, tstz_dt datetime(6), u uuid, u_text char(36), j json, bin blob,
                  mood enum('happy','sad','ok')) CHARACTER SET utf8mb4""");
        insert(MAXIMA);
        insert(MINIMA);
        insert(NULLS);

        Path password = Files.writeString(dir.resolve("mariadb.password"), mariadb.password());
        Path config = Files.writeString(dir.resolve("pg2maria.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-postgrestomariadbit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s, timezone: Europe/Berlin }
                  %s: { kind: mariadb, url: "%s", user: %s, passwordFile: "%s", serverId: 4243, timezone: Europe/Berlin }
                maps:
                  - name: p2mmatrix
                    a: %s.public.matrix
                    b: %s.%s.matrix
                    direction: a-to-b
                    key: [ { a: id, b: id } ]
                    fields:
                      - { a: i2, b: i2 }
                      - { a: i4, b: i4 }
                      - { a: i8, b: i8 }
                      - { a: n38, b: n38 }
                      - { a: n65, b: n65 }
                      - { a: f4, b: f4 }
                      - { a: f8, b: f8 }
                      - { a: flag, b: flag }
                      - { a: txt, b: txt }
                      - { a: vc, b: vc }
                      - { a: d, b: d }
                      - { a: tm, b: tm }
                      - { a: ts, b: ts }
                      - { a: tstz, b: tstz }
                      - { a: tstz_dt, b: tstz_dt }
                      - { a: u, b: u }
                      - { a: u_text, b: u_text }
                      - { a: j, b: j }
                      - { a: bin, b: bin }
                      - { a: mood, b: mood }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                SOURCE, sourceUrl, infra.postgres().user(),
                TARGET, targetUrl, mariadb.user(), password,
                SOURCE, TARGET, targetDatabase));
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
    void shouldCopyExistingRowsExactlyInTheInitialSnapshot() throws SQLException {
        awaitTarget(MAXIMA);
        awaitTarget(MINIMA);
        awaitTarget(NULLS);
        assertThat(count("SELECT count(*) FROM matrix")).isEqualTo(3);
    }

    @Test
    @Order(2)
    void shouldApplyALiveInsert() throws SQLException {
        insert(LIVE);
        awaitTarget(LIVE);
    }

    @Test
    @Order(3)
    void shouldApplyALiveUpdate() throws SQLException {
        byte[] reversed = new byte[EVERY_BYTE.length];
        for (int i = 0; i < reversed.length; i++) {
            reversed[i] = EVERY_BYTE[EVERY_BYTE.length - 1 - i];
        }
        Matrix updated = new Matrix(1, -1, 42, -42L, new BigDecimal("42.4200000000"), MAX_65_30.negate(),
                -Float.MAX_VALUE, -Double.MAX_VALUE, false, "changed ✓ 😀", "𝄞", LocalDate.of(9999, 12, 31),
                LocalTime.parse("00:00:00.000001"), LocalDateTime.parse("9999-12-31T23:59:59.999999"),
                OffsetDateTime.of(2030, 6, 30, 12, 0, 0, 1000, ZoneOffset.ofHours(14)).toInstant(),
                Instant.parse("2024-03-31T01:30:00Z"), MAXIMA.u(), MAXIMA.uText(), "{\"changed\": true}", reversed, "ok");
        try (PreparedStatement s = source.prepareStatement("""
                update matrix set i2 = ?, i4 = ?, i8 = ?, n38 = ?, n65 = ?, f4 = ?, f8 = ?, flag = ?, txt = ?, vc = ?,
                  d = ?, tm = ?, ts = ?, tstz = ?, tstz_dt = ?, u = ?, u_text = ?, j = ?::jsonb, bin = ?, mood = ?::mood
                where id = ?""")) {
            bindValues(s, updated, 1);
            s.setInt(21, 1);
            s.executeUpdate();
        }
        awaitTarget(updated);
    }

    @Test
    @Order(4)
    void shouldApplyALiveDelete() throws SQLException {
        exec(source, "delete from matrix where id = 2");
        await().atMost(Duration.ofSeconds(60)).until(() -> targetRow(2).isEmpty());
        assertThat(targetRow(1)).isPresent();
        assertThat(count("SELECT count(*) FROM matrix")).isEqualTo(3);
    }

    @Test
    @Order(5)
    void shouldDeadLetterAnInstantBeforeMariaDbsTimestampRangeAndKeepSyncingTheRest() throws Exception {
        Matrix moonLanding = new Matrix(5, 1, 1, 1L, BigDecimal.ONE.setScale(10), null, 1f, 1d, true, "before 1970",
                null, null, null, null, Instant.parse("1969-07-20T20:17:40Z"), null, null, null, null, null, null);
        Matrix after = new Matrix(6, 2, 2, 2L, null, null, null, null, null, "after it", null, null, null,
                LocalDateTime.parse("0001-01-01T00:00:00.000001"),
                Instant.parse("1970-01-01T00:00:01.000001Z"), null, null, null, null, null, null);
        insert(moonLanding);
        insert(after);

        awaitTarget(after);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = readDeadLetters(Topics.deadLetter(TARGET), 1);

        assertThat(targetRow(5)).isEmpty();
        assertThat(deadLetters).as("dead letters, by error message: %s",
                deadLetters.stream().map(r -> headers(r).get(Headers.ERROR_MESSAGE)).toList()).hasSize(1);
        Map<String, String> headers = headers(deadLetters.getFirst());
        assertThat(headers).containsEntry(Headers.STAGE, "apply")
                .containsEntry(Headers.MAP, "p2mmatrix")
                .containsEntry(Headers.ORIGINAL_TOPIC, Topics.mapped("p2mmatrix", TARGET));
        assertThat(headers.get(Headers.ERROR_MESSAGE))
                .contains("tstz")
                .contains("outside MariaDB's TIMESTAMP range 1970-01-01 00:00:01 UTC")
                .doesNotContain("1969");
        assertThat(host.firstFailure()).isEmpty();
    }

    private static void awaitTarget(Matrix expected) {
        Map<String, Object> wanted = mariaDbValues(expected);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(host.firstFailure()).isEmpty();
                    Optional<Map<String, Object>> row = targetRow(expected.id());
                    assertThat(row).as("target row %s", expected.id()).isPresent();
                    for (Map.Entry<String, Object> e : wanted.entrySet()) {
                        // BigDecimal equals compares the scale too: every place must arrive
                        assertThat(row.get().get(e.getKey())).as("row %s column %s", expected.id(), e.getKey())
                                .isEqualTo(e.getValue());
                    }
                });
    }

    /** What MariaDB must hold for a source row, in the form {@link #targetRow} reads it. */
    private static Map<String, Object> mariaDbValues(Matrix m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("i2", m.i2() == null ? null : (long) m.i2());
        v.put("i4", m.i4() == null ? null : (long) m.i4());
        v.put("i8", m.i8());
        v.put("n38", m.n38() == null ? null : m.n38().setScale(10));
        v.put("n65", m.n65() == null ? null : m.n65().setScale(30));
        v.put("f4", m.f4());
        v.put("f8", m.f8());
        v.put("flag", m.flag());
        v.put("txt", m.txt());
        v.put("vc", m.vc());
        v.put("d", m.d());
        v.put("tm", m.tm());
        v.put("ts", m.ts());
        v.put("tstz", m.tstz());
        // a DATETIME holds the instant as wall-clock time in the MariaDB endpoint's zone
        v.put("tstz_dt", m.tstzDt() == null ? null : LocalDateTime.ofInstant(m.tstzDt(), TARGET_ZONE));
        v.put("u", m.u());
        // char(36): the canonical lower-case text
        v.put("u_text", m.uText() == null ? null : m.uText().toString().toLowerCase());
        v.put("j", m.j());
        v.put("bin", m.bin());
        v.put("mood", m.mood());
        return v;
    }

    private static Optional<Map<String, Object>> targetRow(int id) throws SQLException {
        // temporal values as text: no driver or JVM zone can shift them on the way
        try (PreparedStatement s = target.prepareStatement("""
                SELECT i2, i4, i8, n38, n65, f4, f8, flag, txt, vc, CAST(d AS CHAR) d, CAST(tm AS CHAR) tm,
                       CAST(ts AS CHAR) ts, CAST(tstz AS CHAR) tstz, CAST(tstz_dt AS CHAR) tstz_dt,
                       CAST(u AS CHAR) u, u_text, j, bin, mood
                FROM matrix WHERE id = ?""")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("i2", longOrNull(rs, "i2"));
                m.put("i4", longOrNull(rs, "i4"));
                m.put("i8", longOrNull(rs, "i8"));
                m.put("n38", rs.getBigDecimal("n38"));
                m.put("n65", rs.getBigDecimal("n65"));
                float f4 = rs.getFloat("f4");
                m.put("f4", rs.wasNull() ? null : f4);
                double f8 = rs.getDouble("f8");
                m.put("f8", rs.wasNull() ? null : f8);
                boolean flag = rs.getBoolean("flag");
                m.put("flag", rs.wasNull() ? null : flag);
                m.put("txt", rs.getString("txt"));
                m.put("vc", rs.getString("vc"));
                m.put("d", parse(rs.getString("d"), LocalDate::parse));
                m.put("tm", parse(rs.getString("tm"), LocalTime::parse));
                m.put("ts", parse(rs.getString("ts"), PostgresToMariaDbIT::dateTime));
                // the session's time_zone is +00:00: a TIMESTAMP reads as its UTC wall-clock time
                m.put("tstz", parse(rs.getString("tstz"), t -> dateTime(t).toInstant(ZoneOffset.UTC)));
                m.put("tstz_dt", parse(rs.getString("tstz_dt"), PostgresToMariaDbIT::dateTime));
                m.put("u", parse(rs.getString("u"), UUID::fromString));
                m.put("u_text", rs.getString("u_text"));
                m.put("j", rs.getString("j"));
                m.put("bin", rs.getBytes("bin"));
                m.put("mood", rs.getString("mood"));
                return Optional.of(m);
            }
        }
    }

    private static LocalDateTime dateTime(String text) {
        return LocalDateTime.parse(text.replace(' ', 'T'));
    }

    private static <T> T parse(String text, java.util.function.Function<String, T> parser) {
        return text == null ? null : parser.apply(text);
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void insert(Matrix m) throws SQLException {
        try (PreparedStatement s = source.prepareStatement("""
                insert into matrix (i2, i4, i8, n38, n65, f4, f8, flag, txt, vc, d, tm, ts, tstz, tstz_dt, u, u_text, j, bin, mood, id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::mood, ?)""")) {
            bindValues(s, m, 1);
            s.setInt(21, m.id());
            s.executeUpdate();
        }
    }

    /** Binds the 20 value columns in table order from {@code first} on. */
    private static void bindValues(PreparedStatement s, Matrix m, int first) throws SQLException {
        int i = first;
        s.setObject(i++, m.i2() == null ? null : m.i2().shortValue(), java.sql.Types.SMALLINT);
        s.setObject(i++, m.i4(), java.sql.Types.INTEGER);
        s.setObject(i++, m.i8(), java.sql.Types.BIGINT);
        s.setObject(i++, m.n38(), java.sql.Types.NUMERIC);
        s.setObject(i++, m.n65(), java.sql.Types.NUMERIC);
        s.setObject(i++, m.f4(), java.sql.Types.REAL);
        s.setObject(i++, m.f8(), java.sql.Types.DOUBLE);
        s.setObject(i++, m.flag(), java.sql.Types.BOOLEAN);
        s.setString(i++, m.txt());
        s.setString(i++, m.vc());
        s.setObject(i++, m.d());
        s.setObject(i++, m.tm());
        s.setObject(i++, m.ts());
        s.setObject(i++, m.tstz() == null ? null : OffsetDateTime.ofInstant(m.tstz(), ZoneOffset.UTC));
        s.setObject(i++, m.tstzDt() == null ? null : OffsetDateTime.ofInstant(m.tstzDt(), ZoneOffset.UTC));
        s.setObject(i++, m.u());
        s.setObject(i++, m.uText());
        s.setString(i++, m.j());
        s.setBytes(i++, m.bin());
        s.setString(i, m.mood());
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

    private static byte[] everyByte() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static long count(String sql) throws SQLException {
        return Sql.count(target, sql);
    }
}
