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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline from a MariaDB ERP to a PostgreSQL CRM over a real broker and registry, with
 * a capture user that holds only the grants dualsync documents (REPLICATION SLAVE, BINLOG
 * MONITOR, RELOAD, SELECT on the table). Every column of a type matrix is compared on the
 * PostgreSQL side after the initial snapshot and after live inserts, updates and deletes; a
 * value PostgreSQL cannot hold as the mapped type goes to the dead-letter topic with its reason.
 * The MariaDB endpoint's zone-less DATETIMEs are meant in Europe/Berlin.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbToPostgresIT {

    private static final byte[] EVERY_BYTE = new byte[256];
    private static final String EMOJI_TEXT = "Grüße 👋🏽 aus 東京 — 𝄞 \"q\" 'single' \\ back";
    private static final String D38_MAX = "9999999999999999999999999999.9999999999";
    private static final String D65_MAX = "99999999999999999999999999999999999.999999999999999999999999999999";
    /**
     * The snapshot reads FLOAT through MariaDB's text protocol, which prints 6 significant digits
     * (3.1415927 arrives as 3.14159): snapshot rows use a float those digits hold; the binlog
     * carries the exact 4 bytes, so live rows use 3.1415927.
     */
    private static final float SNAPSHOT_FLOAT = 1.5f;
    private static final String JSON = "{\"a\": [1, 2.50, \"😀\"], \"b\": null}";

    static {
        for (int i = 0; i < 256; i++) {
            EVERY_BYTE[i] = (byte) i;
        }
    }

    @TempDir
    static Path dir;

    static EmbeddedMariaDb mariadb;
    static String erpDatabase;
    static Connection erp;
    static Connection crm;
    static ServiceHost host;
    static Startup.Checked checked;
    static String crmName;
    static String mapName;

    @BeforeAll
    static void startPipelineOnPrefilledMariaDb() throws Exception {
        var infra = SharedInfrastructure.get();
        mariadb = infra.mariadb();
        erpDatabase = SharedInfrastructure.uniqueName("erp");
        String erpUrl = mariadb.createDatabase(erpDatabase);
        crmName = SharedInfrastructure.uniqueName("crm");
        mapName = SharedInfrastructure.uniqueName("matrix");
        String crmUrl = infra.postgres().createDatabase(crmName);
        erp = DriverManager.getConnection(erpUrl, mariadb.user(), mariadb.password());
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        exec(erp, """
                CREATE TABLE matrix (id INT PRIMARY KEY,
                  t TINYINT, tu TINYINT UNSIGNED, b BOOLEAN, s SMALLINT, su SMALLINT UNSIGNED, m MEDIUMINT,
                  mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,
                  d38 DECIMAL(38,10), d65 DECIMAL(65,30), f FLOAT, db DOUBLE, vc VARCHAR(100), tx TEXT,
                  dt DATE, tm TIME(6), dt3 DATETIME(3), dt6 DATETIME(6), dt6z DATETIME(6), ts6 TIMESTAMP(6) NULL,
                  u UUID, j JSON, bl BLOB, e ENUM('red', 'green', 'blue'))""");
        exec(crm, """
                CREATE TABLE account (id integer PRIMARY KEY,
                  t smallint, tu smallint, b boolean, s smallint, su integer, m integer, mu integer, i integer,
                  iu bigint, bi bigint, bu numeric(20,0), d38 numeric(38,10), d65 numeric(65,30), f real,
                  db double precision, vc varchar(100), tx text, dt date, tm time(6), dt3 timestamp(3),
                  dt6 timestamp(6), dt6z timestamptz, ts6 timestamptz, u uuid, j json, bl bytea, e text)""");
        insertMax(1, SNAPSHOT_FLOAT);
        insertMin(2);
        exec(erp, "INSERT INTO matrix (id) VALUES (3)");

        String cdcUser = "cdc_" + erpDatabase.substring(erpDatabase.length() - 8);
        exec(erp, "CREATE USER '" + cdcUser + "'@'%' IDENTIFIED BY 'cdc-pw'");
        exec(erp, "GRANT REPLICATION SLAVE, BINLOG MONITOR, RELOAD ON *.* TO '" + cdcUser + "'@'%'");
        exec(erp, "GRANT SELECT ON " + erpDatabase + ".matrix TO '" + cdcUser + "'@'%'");
        Path password = Files.writeString(dir.resolve("erp.pw"), "cdc-pw");

        String columns = String.join(",", List.of("t", "tu", "b", "s", "su", "m", "mu", "i", "iu", "bi", "bu", "d38",
                "d65", "f", "db", "vc", "tx", "dt", "tm", "dt3", "dt6", "dt6z", "ts6", "u", "j", "bl", "e"));
        StringBuilder fields = new StringBuilder();
        for (String c : columns.split(",")) {
            fields.append("      - { a: ").append(c).append(", b: ").append(c).append(" }\n");
        }
        Path config = Files.writeString(dir.resolve("erp-crm.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-mariadbtopostgresit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: mariadb, url: "%s", user: %s, passwordFile: %s, serverId: 9001, timezone: Europe/Berlin }
                  %s: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: %s
                    a: %s.matrix
                    b: %s.public.account
                    direction: a-to-b
                    key: [ { a: id, b: id } ]
                    fields:
                %s""".formatted(infra.kafka().bootstrapServers(), infra.registry().url(), erpDatabase, erpUrl, cdcUser, password,
                crmName, crmUrl, infra.postgres().user(), mapName, erpDatabase, crmName, fields));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName), erp, crm);
    }

    @Test
    @Order(1)
    void shouldCopyEveryTypeExactlyInTheInitialSnapshot() {
        awaitRow(1, maxRow());
        awaitRow(2, minRow());
        awaitRow(3, nullRow());
    }

    @Test
    @Order(2)
    void shouldApplyLiveInsertsUpdatesAndDeletesExactly() throws SQLException {
        insertMax(4, 3.1415927f);
        Map<String, Object> live = maxRow();
        live.put("f", 3.1415927f);
        awaitRow(4, live);

        // two updates of one row in one transaction: the later one must win
        erp.setAutoCommit(false);
        exec(erp, "UPDATE matrix SET vc = 'first', d38 = 1 WHERE id = 2");
        exec(erp, "UPDATE matrix SET vc = 'second 😀', d38 = -0.0000000001, dt6 = '2024-03-31 02:30:00',"
                + " dt6z = '2024-03-31 03:00:00' WHERE id = 2");
        erp.commit();
        erp.setAutoCommit(true);
        Map<String, Object> updated = minRow();
        updated.put("vc", "second 😀");
        updated.put("d38", new BigDecimal("-0.0000000001"));
        // 02:30 Berlin does not exist on 2024-03-31 (DST gap): java.time moves it to 03:30 CEST = 01:30Z
        updated.put("dt6", LocalDateTime.parse("2024-03-31T01:30:00"));
        updated.put("dt6z", Instant.parse("2024-03-31T01:00:00Z"));
        awaitRow(2, updated);

        exec(erp, "DELETE FROM matrix WHERE id = 3");
        await().atMost(Duration.ofSeconds(60)).until(() -> crmRow(3).isEmpty());
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(3)
    void shouldSendATimeThatIsNoTimeOfDayToTheDeadLetterTopicWithItsReason() throws Exception {
        exec(erp, "INSERT INTO matrix (id, tm) VALUES (5, '25:00:00')");
        exec(erp, "INSERT INTO matrix (id, vc) VALUES (6, 'after the bad one')");

        awaitRow(6, Map.of("vc", "after the bad one"));
        ConsumerRecord<byte[], byte[]> dead = deadLetters().stream().filter(r -> mapName.equals(header(r, Headers.MAP)))
                .findFirst().orElseThrow();
        assertThat(header(dead, Headers.ERROR_MESSAGE)).isEqualTo("column 'tm': a TIME outside 00:00:00 to 23:59:59.999999"
                + " (a duration, not a time of day) cannot be read as time");

        assertThat(crmRow(5)).isEmpty();
    }

    // --- the matrix ---

    private static void insertMax(int id, float f) throws SQLException {
        try (PreparedStatement s = erp.prepareStatement("INSERT INTO matrix VALUES (?, 127, 255, true, 32767, 65535,"
                + " 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, "
                + D38_MAX + ", " + D65_MAX + ", ?, ?, ?, ?, '2024-02-29', '23:59:59.999999', '2024-02-29 23:59:59.999',"
                + " '2024-02-29 23:59:59.999999', '2024-02-29 23:59:59.999999', '2038-01-19 03:14:07.999999',"
                + " 'ffffffff-ffff-ffff-ffff-ffffffffffff', ?, ?, 'blue')")) {
            s.setInt(1, id);
            s.setFloat(2, f);
            s.setDouble(3, Double.MAX_VALUE);
            s.setString(4, EMOJI_TEXT);
            s.setString(5, EMOJI_TEXT.repeat(20));
            s.setString(6, JSON);
            s.setBytes(7, EVERY_BYTE);
            s.executeUpdate();
        }
    }

    private static void insertMin(int id) throws SQLException {
        try (PreparedStatement s = erp.prepareStatement("INSERT INTO matrix VALUES (?, -128, 0, false, -32768, 0,"
                + " -8388608, 0, -2147483648, 0, -9223372036854775808, 0, -" + D38_MAX + ", -" + D65_MAX + ", ?, ?, '', '',"
                + " '1000-01-01', '00:00:00', '1000-01-01 00:00:00', '1000-01-01 00:00:00.000001',"
                + " '2024-10-27 02:30:00', '1970-01-01 00:00:01', '00000000-0000-0000-0000-000000000000', '[]', '', 'red')")) {
            s.setInt(1, id);
            s.setFloat(2, -1.0E-10f);
            s.setDouble(3, -0.0d);
            s.executeUpdate();
        }
    }

    private static Map<String, Object> maxRow() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", 127); m.put("tu", 255); m.put("b", true); m.put("s", 32767); m.put("su", 65535);
        m.put("m", 8388607); m.put("mu", 16777215); m.put("i", 2147483647); m.put("iu", 4294967295L);
        m.put("bi", Long.MAX_VALUE); m.put("bu", new BigDecimal("18446744073709551615"));
        m.put("d38", new BigDecimal(D38_MAX)); m.put("d65", new BigDecimal(D65_MAX));
        m.put("f", SNAPSHOT_FLOAT); m.put("db", Double.MAX_VALUE);
        m.put("vc", EMOJI_TEXT); m.put("tx", EMOJI_TEXT.repeat(20));
        m.put("dt", LocalDate.of(2024, 2, 29)); m.put("tm", LocalTime.parse("23:59:59.999999"));
        // DATETIME in Europe/Berlin (CET, +01:00) to PostgreSQL's UTC: one hour earlier
        m.put("dt3", LocalDateTime.parse("2024-02-29T22:59:59.999"));
        m.put("dt6", LocalDateTime.parse("2024-02-29T22:59:59.999999"));
        m.put("dt6z", Instant.parse("2024-02-29T22:59:59.999999Z"));
        // TIMESTAMP is an instant already; the server's session zone is the machine's, so compare via MariaDB
        m.put("ts6", mariaTimestamp("2038-01-19 03:14:07.999999"));
        m.put("u", UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"));
        m.put("j", JSON); m.put("bl", EVERY_BYTE); m.put("e", "blue");
        return m;
    }

    private static Map<String, Object> minRow() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", -128); m.put("tu", 0); m.put("b", false); m.put("s", -32768); m.put("su", 0);
        m.put("m", -8388608); m.put("mu", 0); m.put("i", Integer.MIN_VALUE); m.put("iu", 0L);
        m.put("bi", Long.MIN_VALUE); m.put("bu", BigDecimal.ZERO);
        m.put("d38", new BigDecimal("-" + D38_MAX)); m.put("d65", new BigDecimal("-" + D65_MAX));
        // -0.0 is written; PostgreSQL must hold exactly what MariaDB kept of it
        m.put("f", -1.0E-10f); m.put("db", mariaDouble("SELECT db FROM matrix WHERE id = 2"));
        m.put("vc", ""); m.put("tx", "");
        m.put("dt", LocalDate.of(1000, 1, 1)); m.put("tm", LocalTime.MIDNIGHT);
        // before 1893 Berlin kept local mean time (+00:53:28)
        m.put("dt3", LocalDateTime.parse("0999-12-31T23:06:32"));
        m.put("dt6", LocalDateTime.parse("0999-12-31T23:06:32.000001"));
        // 02:30 on 2024-10-27 happens twice in Berlin; java.time takes the earlier (CEST, +02:00)
        m.put("dt6z", Instant.parse("2024-10-27T00:30:00Z"));
        m.put("ts6", mariaTimestamp("1970-01-01 00:00:01"));
        m.put("u", new UUID(0, 0));
        m.put("j", "[]"); m.put("bl", new byte[0]); m.put("e", "red");
        return m;
    }

    private static Map<String, Object> nullRow() {
        Map<String, Object> m = new LinkedHashMap<>();
        maxRow().keySet().forEach(k -> m.put(k, null));
        return m;
    }

    private static Double mariaDouble(String sql) {
        try (Statement s = erp.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The instant MariaDB stores for a TIMESTAMP literal written in its session time zone. */
    private static Instant mariaTimestamp(String literal) {
        try (Statement s = erp.createStatement();
             ResultSet rs = s.executeQuery("SELECT UNIX_TIMESTAMP('" + literal + "')")) {
            rs.next();
            BigDecimal seconds = rs.getBigDecimal(1);
            return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- helpers ---

    private static void awaitRow(int id, Map<String, Object> expected) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            Optional<Map<String, Object>> row = crmRow(id);
            assertThat(row).as("crm row %s", id).isPresent();
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                // BigDecimal equals compares the scale too: every place must arrive
                assertThat(row.get().get(e.getKey())).as("row %s column %s", id, e.getKey()).isEqualTo(e.getValue());
            }
        });
    }

    private static Optional<Map<String, Object>> crmRow(int id) throws SQLException {
        try (PreparedStatement s = crm.prepareStatement("SELECT * FROM account WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> m = new LinkedHashMap<>();
                for (String c : List.of("t", "tu", "s", "su", "m", "mu", "i")) {
                    m.put(c, rs.getObject(c) == null ? null : ((Number) rs.getObject(c)).intValue());
                }
                m.put("b", rs.getObject("b"));
                m.put("iu", rs.getObject("iu"));
                m.put("bi", rs.getObject("bi"));
                m.put("bu", rs.getBigDecimal("bu"));
                m.put("d38", rs.getBigDecimal("d38"));
                m.put("d65", rs.getBigDecimal("d65"));
                m.put("f", rs.getObject("f"));
                m.put("db", rs.getObject("db"));
                m.put("vc", rs.getString("vc"));
                m.put("tx", rs.getString("tx"));
                m.put("dt", rs.getObject("dt", LocalDate.class));
                m.put("tm", rs.getObject("tm", LocalTime.class));
                m.put("dt3", rs.getObject("dt3", LocalDateTime.class));
                m.put("dt6", rs.getObject("dt6", LocalDateTime.class));
                OffsetDateTime dt6z = rs.getObject("dt6z", OffsetDateTime.class);
                m.put("dt6z", dt6z == null ? null : dt6z.toInstant());
                OffsetDateTime ts6 = rs.getObject("ts6", OffsetDateTime.class);
                m.put("ts6", ts6 == null ? null : ts6.toInstant());
                m.put("u", rs.getObject("u"));
                m.put("j", rs.getString("j"));
                m.put("bl", rs.getBytes("bl"));
                m.put("e", rs.getString("e"));
                return Optional.of(m);
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.deadLetter(crmName)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
