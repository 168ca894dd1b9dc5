package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
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

import java.math.BigDecimal;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline, PostgreSQL to PostgreSQL, over a real Kafka broker, a real Apicurio
 * registry and two real databases: rows that exist before the start arrive through the initial
 * snapshot, then live inserts, updates and deletes follow. Every target column is compared
 * with what the source holds, digit for digit and instant for instant.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final BigDecimal MAX_DECIMAL = new BigDecimal("9999999999999999999999999999.9999999999");
    private static final BigDecimal MIN_DECIMAL = MAX_DECIMAL.negate();
    private static final Instant LEAP_DAY = Instant.parse("2024-02-29T23:59:59.999999Z");
    private static final String EMOJI_TEXT = "Grüße 👋🏽 from 東京 — 𝄞 \"quoted\" 'single' \\ back";

    @TempDir
    static Path dir;

    static Connection source;
    static Connection target;
    static ServiceHost host;
    static Startup.Checked checked;

    @BeforeAll
    static void startPipelineOnPrefilledSource() throws Exception {
        var infra = SharedInfrastructure.get();
        String sourceUrl = infra.postgres().createDatabase("e2e_shop");
        String targetUrl = infra.postgres().createDatabase("e2e_warehouse");
        source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
        target = DriverManager.getConnection(targetUrl, infra.postgres().user(), null);
        exec(source, """
                create table item (
                  id serial primary key, code varchar(20) not null unique, amount numeric(38,10),
                  happened_at timestamptz, label text, qty integer, active boolean, day date, secret text)""");
        exec(target, "create schema inventory");
        exec(target, """
                create table inventory.article (
                  article_code varchar(30) primary key, amount numeric(38,10), happened timestamptz,
                  title text, quantity bigint, active boolean, day date)""");
        insertItem("K-1", MAX_DECIMAL, LEAP_DAY, EMOJI_TEXT, 1, true, LocalDate.of(2024, 2, 29));
        insertItem("K-2", MIN_DECIMAL, Instant.parse("1970-01-01T00:00:00Z"), "", 0, false, LocalDate.of(1, 1, 1));
        insertItem("K-3", new BigDecimal("0.0000000001"), Instant.parse("2038-01-19T03:14:07.000001Z"), null, null, null, null);

        Path config = Files.writeString(dir.resolve("e2e.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-endtoendit }
                registry: { url: "%s" }
                endpoints:
                  shop:      { kind: postgres, url: "%s", user: %s }
                  warehouse: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: articles
                    a: shop.public.item
                    b: warehouse.inventory.article
                    direction: a-to-b
                    key: [ { a: code, b: article_code } ]
                    fields:
                      - { a: code,        b: article_code, toB: { prefix: "W-" } }
                      - { a: amount,      b: amount }
                      - { a: happened_at, b: happened }
                      - { a: label,       b: title }
                      - { a: qty,         b: quantity }
                      - { a: active,      b: active }
                      - { a: day,         b: day }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                sourceUrl, infra.postgres().user(), targetUrl, infra.postgres().user()));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(java.time.Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of("shop"), source, target);
    }

    @Test
    @Order(1)
    void shouldCopyExistingRowsExactlyInTheInitialSnapshot() throws SQLException {
        awaitTarget("W-K-1", row(MAX_DECIMAL, LEAP_DAY, EMOJI_TEXT, 1L, true, LocalDate.of(2024, 2, 29)));
        awaitTarget("W-K-2", row(MIN_DECIMAL, Instant.parse("1970-01-01T00:00:00Z"), "", 0L, false, LocalDate.of(1, 1, 1)));
        awaitTarget("W-K-3", row(new BigDecimal("0.0000000001"), Instant.parse("2038-01-19T03:14:07.000001Z"), null, null, null, null));
        assertThat(count("select count(*) from inventory.article")).isEqualTo(3);
    }

    @Test
    @Order(2)
    void shouldApplyALiveInsert() throws SQLException {
        BigDecimal amount = new BigDecimal("-1234567890123456789012345678.0123456789");
        Instant when = Instant.parse("1999-12-31T23:59:59.123456Z");
        insertItem("K-4", amount, when, "new 🚀 row", Integer.MAX_VALUE, true, LocalDate.of(1999, 12, 31));
        awaitTarget("W-K-4", row(amount, when, "new 🚀 row", (long) Integer.MAX_VALUE, true, LocalDate.of(1999, 12, 31)));
    }

    @Test
    @Order(3)
    void shouldApplyALiveUpdate() throws SQLException {
        try (PreparedStatement s = source.prepareStatement(
                "update item set amount = ?, label = ?, happened_at = ?, qty = ? where code = 'K-1'")) {
            s.setBigDecimal(1, new BigDecimal("42.4200000000"));
            s.setString(2, "changed ✓ 😀");
            s.setObject(3, OffsetDateTime.of(2030, 6, 30, 12, 0, 0, 1000, ZoneOffset.ofHours(14)));
            s.setInt(4, Integer.MIN_VALUE);
            s.executeUpdate();
        }
        awaitTarget("W-K-1", row(new BigDecimal("42.4200000000"), Instant.parse("2030-06-29T22:00:00.000001Z"),
                "changed ✓ 😀", (long) Integer.MIN_VALUE, true, LocalDate.of(2024, 2, 29)));
    }

    @Test
    @Order(4)
    void shouldApplyALiveDelete() throws SQLException {
        exec(source, "delete from item where code = 'K-2'");
        await().atMost(Duration.ofSeconds(60)).until(() -> targetRow("W-K-2").isEmpty());
        assertThat(targetRow("W-K-1")).isPresent();
        assertThat(count("select count(*) from inventory.article")).isEqualTo(3);
    }

    @Test
    @Order(5)
    void shouldNotRewriteTheTargetWhenOnlyAnUnmappedColumnChanged() throws SQLException {
        long xminBefore = count("select xmin::text::bigint from inventory.article where article_code = 'W-K-3'");
        exec(source, "update item set secret = 'not mapped' where code = 'K-3'");
        exec(source, "update item set label = 'marker' where code = 'K-4'");
        awaitTarget("W-K-4", Map.of("title", "marker"));
        assertThat(count("select xmin::text::bigint from inventory.article where article_code = 'W-K-3'")).isEqualTo(xminBefore);
        assertThat(host.firstFailure()).isEmpty();
    }

    private static Map<String, Object> row(BigDecimal amount, Instant happened, String title, Long quantity,
                                           Boolean active, LocalDate day) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("amount", amount);
        m.put("happened", happened);
        m.put("title", title);
        m.put("quantity", quantity);
        m.put("active", active);
        m.put("day", day);
        return m;
    }

    private static void awaitTarget(String key, Map<String, Object> expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    assertThat(host.firstFailure()).isEmpty();
                    Optional<Map<String, Object>> row = targetRow(key);
                    assertThat(row).as("target row %s", key).isPresent();
                    for (Map.Entry<String, Object> e : expected.entrySet()) {
                        // BigDecimal equals compares the scale too: all ten places must arrive
                        assertThat(row.get().get(e.getKey())).as("%s.%s", key, e.getKey()).isEqualTo(e.getValue());
                    }
                });
    }

    private static Optional<Map<String, Object>> targetRow(String key) throws SQLException {
        try (PreparedStatement s = target.prepareStatement("select * from inventory.article where article_code = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("amount", rs.getBigDecimal("amount"));
                OffsetDateTime happened = rs.getObject("happened", OffsetDateTime.class);
                m.put("happened", happened == null ? null : happened.toInstant());
                m.put("title", rs.getString("title"));
                m.put("quantity", rs.getObject("quantity"));
                m.put("active", rs.getObject("active"));
                m.put("day", rs.getObject("day", LocalDate.class));
                return Optional.of(m);
            }
        }
    }

    private static void insertItem(String code, BigDecimal amount, Instant happened, String label, Integer qty,
                                   Boolean active, LocalDate day) throws SQLException {
        try (PreparedStatement s = source.prepareStatement(
                "insert into item (code, amount, happened_at, label, qty, active, day) values (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, code);
            s.setBigDecimal(2, amount);
            s.setObject(3, happened == null ? null : OffsetDateTime.ofInstant(happened, ZoneOffset.UTC));
            s.setString(4, label);
            s.setObject(5, qty);
            s.setObject(6, active);
            s.setObject(7, day);
            s.executeUpdate();
        }
    }

    private static long count(String sql) throws SQLException {
        return Sql.count(target, sql);
    }
}
