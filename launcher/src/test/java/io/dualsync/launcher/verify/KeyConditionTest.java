package io.dualsync.launcher.verify;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.config.EndpointKind;
import io.dualsync.contract.CanonicalText;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import io.dualsync.launcher.infra.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key conditions of {@code verify --repair}, run on a real PostgreSQL and a real MariaDB: each
 * selects exactly the rows of its keys, whatever the keys hold (quotes, backslashes, SQL, emoji,
 * decimals with every digit, UUIDs, timestamps with and without zone, composite keys), and text
 * never leaves its literal.
 */
class KeyConditionTest {

    static final String HOSTILE = "x'); DROP TABLE item; --";
    static final List<String> TEXTS = List.of("O'Brien", "back\\slash", "trailing\\", HOSTILE, "a''b", "Grüße 👋🏽 東京", "plain");
    static final BigDecimal BIG = new BigDecimal("9999999999.12345");
    static final UUID U1 = UUID.fromString("0b9c7f6e-3a52-4d8e-9a0c-5f1f2b3c4d5e");
    static final LocalDateTime TS = LocalDateTime.parse("2024-02-29T23:59:59.999999");
    static final Instant TZ = Instant.parse("2038-01-19T03:14:07.000001Z");

    static EmbeddedPostgres postgres;
    static EmbeddedMariaDb mariaDb;
    static Connection pg;
    static Connection maria;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        pg = DriverManager.getConnection(postgres.createDatabase("keycondition"), postgres.user(), null);
        exec(pg, """
                create table item (id int primary key, t text, n numeric(20,5), u uuid, ts timestamp(6), tz timestamptz,
                                   d date, b bytea, i bigint)""");
        mariaDb = EmbeddedMariaDb.start();
        maria = DriverManager.getConnection(mariaDb.createDatabase("keycondition"), mariaDb.user(), mariaDb.password());
        exec(maria, """
                create table item (id int primary key, t varchar(100), n decimal(20,5), u uuid, ts datetime(6), tz timestamp(6) null,
                                   d date, b varbinary(16), i bigint)""");
        exec(maria, "set time_zone = '+00:00'");
        for (Connection c : List.of(pg, maria)) {
            int id = 1;
            for (String t : TEXTS) {
                try (var ps = c.prepareStatement("insert into item (id, t, n, i) values (?, ?, ?, ?)")) {
                    ps.setInt(1, id);
                    ps.setString(2, t);
                    ps.setBigDecimal(3, id == 1 ? BIG : BigDecimal.valueOf(id));
                    ps.setLong(4, id);
                    ps.executeUpdate();
                }
                id++;
            }
            exec(c, "update item set u = '" + U1 + "', d = '2024-02-29', b = " + (c == pg ? "'\\x00ff27'::bytea" : "X'00ff27'")
                    + " where id = 2");
            exec(c, "update item set ts = '2024-02-29 23:59:59.999999', tz = " + (c == pg ? "'2038-01-19T03:14:07.000001Z'"
                    : "'2038-01-19 03:14:07.000001'") + " where id = 3");
            exec(c, "update item set ts = '2024-02-29 23:59:59.999998' where id = 4");
        }
        // the repair's session may be in another zone than the one the row was written in
        exec(maria, "set time_zone = '+05:00'");
        exec(pg, "set timezone = 'Asia/Tokyo'");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {pg, postgres, maria, mariaDb}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static Column column(String name, Kind kind) {
        return new Column(name, SqlType.of(kind, kind.name().toLowerCase()), false);
    }

    @Test
    void shouldSelectExactlyTheTextKeysWhateverCharactersTheyHold() throws Exception {
        List<List<Object>> keys = TEXTS.subList(0, 6).stream().map(t -> List.<Object>of(t)).toList();
        for (Db db : Db.values()) {
            String condition = new KeyCondition(db.kind, List.of(column("t", Kind.STRING))).render(keys);
            assertThat(ids(db, condition)).as(db.name()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(ids(db, "true")).as("the table is still there").hasSize(7);
        }
    }

    @Test
    void shouldNeverLetTextEndItsLiteral() {
        String pgCondition = new KeyCondition(EndpointKind.POSTGRES, List.of(column("t", Kind.STRING))).render(List.of(List.of(HOSTILE)));
        assertThat(pgCondition).isEqualTo("(\"t\" IN (E'x\\'); DROP TABLE item; --'))");
        String mariaCondition = new KeyCondition(EndpointKind.MARIADB, List.of(column("t", Kind.STRING))).render(List.of(List.of(HOSTILE)));
        assertThat(mariaCondition).startsWith("(`t` IN (_utf8mb4 X'").doesNotContain("DROP");
    }

    @Test
    void shouldSelectNumericKeysWithEveryDigit() throws Exception {
        for (Db db : Db.values()) {
            assertThat(ids(db, new KeyCondition(db.kind, List.of(column("n", Kind.DECIMAL))).render(
                    List.of(List.of(BIG), List.of(new BigDecimal("5.00000")))))).as(db.name()).containsExactly(1, 5);
            assertThat(ids(db, new KeyCondition(db.kind, List.of(column("i", Kind.INT64))).render(
                    List.of(List.of(7L), List.of(3L))))).as(db.name()).containsExactly(3, 7);
            assertThat(ids(db, new KeyCondition(db.kind, List.of(column("id", Kind.INT32))).render(
                    List.of(List.of(2))))).as(db.name()).containsExactly(2);
        }
    }

    @Test
    void shouldSelectUuidDateAndBytesKeys() throws Exception {
        for (Db db : Db.values()) {
            assertThat(ids(db, new KeyCondition(db.kind, List.of(column("u", Kind.UUID))).render(List.of(List.of(U1)))))
                    .as(db.name()).containsExactly(2);
            assertThat(ids(db, new KeyCondition(db.kind, List.of(column("d", Kind.DATE))).render(
                    List.of(List.of(LocalDate.parse("2024-02-29")))))).as(db.name()).containsExactly(2);
            assertThat(ids(db, new KeyCondition(db.kind, List.of(column("b", Kind.BYTES))).render(
                    List.of(List.of(new byte[] {0, (byte) 0xff, '\''}))))).as(db.name()).containsExactly(2);
        }
    }

    @Test
    void shouldSelectTimestampKeysToTheMicrosecondInAnySessionZone() throws Exception {
        for (Db db : Db.values()) {
            assertThat(ids(db, new KeyCondition(db.kind, List.of(column("ts", Kind.TIMESTAMP))).render(List.of(List.of(TS)))))
                    .as(db.name()).containsExactly(3);
            assertThat(ids(db, new KeyCondition(db.kind, List.of(column("tz", Kind.TIMESTAMPTZ))).render(List.of(List.of(TZ)))))
                    .as(db.name()).containsExactly(3);
        }
    }

    @Test
    void shouldSelectCompositeKeysPairwiseNotAsACrossProduct() throws Exception {
        for (Db db : Db.values()) {
            KeyCondition condition = new KeyCondition(db.kind, List.of(column("t", Kind.STRING), column("i", Kind.INT64)));
            // (O'Brien, 1) and (plain, 7) are rows; (O'Brien, 7) is not, nor is (plain, 1)
            String sql = condition.render(List.of(List.of("O'Brien", 1L), List.of("plain", 7L), List.of("O'Brien", 7L)));
            assertThat(sql).contains(" OR ").contains(" AND ");
            assertThat(ids(db, sql)).as(db.name()).containsExactly(1, 7);
        }
    }

    @Test
    void shouldReadBackTheSourceRowKeysVerifyWrites() {
        KeyCondition condition = new KeyCondition(EndpointKind.POSTGRES, List.of(column("t", Kind.STRING),
                column("n", Kind.DECIMAL), column("tz", Kind.TIMESTAMPTZ), column("u", Kind.UUID)));
        List<Object> key = List.of(HOSTILE, BIG, TZ, U1);
        assertThat(condition.parse(CanonicalText.rowKey(key))).isEqualTo(key);
        assertThatThrownBy(() -> condition.parse("[\"only one\"]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("only one");
    }

    @Test
    void shouldRefuseKeysItCannotSelectExactly() {
        KeyCondition json = new KeyCondition(EndpointKind.POSTGRES, List.of(column("j", Kind.JSON)));
        assertThatThrownBy(() -> json.render(List.of(List.of("{}")))).hasMessageContaining("JSON");
        KeyCondition text = new KeyCondition(EndpointKind.POSTGRES, List.of(column("t", Kind.STRING)));
        List<Object> nullKey = new ArrayList<>();
        nullKey.add(null);
        assertThatThrownBy(() -> text.render(List.of(nullKey))).hasMessageContaining("NULL");
        assertThatThrownBy(() -> text.render(List.of(List.of("a\0b")))).hasMessageContaining("NUL");
    }

    enum Db {
        POSTGRES(EndpointKind.POSTGRES), MARIADB(EndpointKind.MARIADB);

        final EndpointKind kind;

        Db(EndpointKind kind) {
            this.kind = kind;
        }

        Connection connection() {
            return this == POSTGRES ? pg : maria;
        }
    }

    /** The ids of the rows the condition selects, as Debezium would: appended to its WHERE clause with AND. */
    static List<Integer> ids(Db db, String condition) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("select id from item where id > 0 and " + condition + " order by id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
