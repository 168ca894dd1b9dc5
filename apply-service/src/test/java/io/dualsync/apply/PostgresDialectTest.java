package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.TableRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.dualsync.apply.Tables.column;
import static io.dualsync.apply.Tables.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresDialectTest {

    private static final PostgresDialect DIALECT = new PostgresDialect();
    private static TestPostgres postgres;

    /** One column of every kind; mirrors the DDL in {@link #startPostgres()}. */
    private static final TableSchema ALL_TYPES = Tables.table("public", "all_types", List.of("id"),
            column("id", Kind.INT32, "int4"),
            decimal("amount", 38, 10),
            column("unbounded", Kind.DECIMAL, "numeric"),
            column("happened", Kind.TIMESTAMPTZ, "timestamptz"),
            column("local_time_stamp", Kind.TIMESTAMP, "timestamp"),
            column("day", Kind.DATE, "date"),
            column("clock", Kind.TIME, "time"),
            column("ref", Kind.UUID, "uuid"),
            column("doc", Kind.JSON, "jsonb"),
            column("raw", Kind.BYTES, "bytea"),
            column("label", Kind.STRING, "text"),
            column("code", Kind.STRING, "varchar(20)"),
            column("flag", Kind.BOOLEAN, "bool"),
            column("small", Kind.INT16, "int2"),
            column("normal", Kind.INT32, "int4"),
            column("big", Kind.INT64, "int8"),
            column("single", Kind.FLOAT32, "float4"),
            column("dbl", Kind.FLOAT64, "float8"));

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
        postgres.execute("CREATE TABLE public.all_types (id int4 PRIMARY KEY, amount numeric(38,10), unbounded numeric, "
                + "happened timestamptz, local_time_stamp timestamp, day date, clock time, ref uuid, doc jsonb, raw bytea, "
                + "label text, code varchar(20), flag boolean, small int2, normal int4, big int8, single float4, dbl float8)");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void shouldRoundTripEveryTypeExactly() throws Exception {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        List<Map<String, Object>> rows = List.of(
                row(1, "1234567890123456789012345678.1234567890", "-0.000000000000000000000000000000000000001",
                        Instant.parse("2024-02-29T23:59:59.999999Z"), LocalDateTime.parse("2024-02-29T23:59:59.999999"),
                        LocalDate.parse("2024-02-29"), LocalTime.parse("23:59:59.999999"),
                        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), "{\"name\": \"Zoë 日本\", \"n\": [1, 2.5]}",
                        everyByte, "Grüße 😀 中文 日本語 한국어 \t\n\"'\\", "C-001", true,
                        (int) Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Float.MAX_VALUE, Double.MAX_VALUE),
                row(2, "-9999999999999999999999999999.9999999999", "123456789012345678901234567890.123456789",
                        Instant.parse("1900-01-01T00:00:00.000001Z"), LocalDateTime.parse("1900-01-01T00:00:00.000001"),
                        LocalDate.parse("0001-01-01"), LocalTime.MIDNIGHT,
                        new UUID(0, 0), "[]", new byte[0], "", "", false,
                        (int) Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, Float.MIN_NORMAL, Double.MIN_NORMAL),
                row(3, "0.0000000001", "0", Instant.parse("9999-12-31T23:59:59.999999Z"),
                        LocalDateTime.parse("9999-12-31T23:59:59.999999"), LocalDate.parse("9999-12-31"),
                        LocalTime.parse("12:00:00.000001"), UUID.randomUUID(), "null", new byte[]{0}, "x", "y", true,
                        0, 0, 0L, 0.1f, 0.1d));
        Map<String, Object> nulls = new LinkedHashMap<>();
        ALL_TYPES.columns().forEach(c -> nulls.put(c.name(), null));
        nulls.put("id", 4);

        try (Connection c = postgres.connect()) {
            for (Map<String, Object> row : concat(rows, nulls)) {
                upsert(c, row);
            }
        }

        for (Map<String, Object> expected : concat(rows, nulls)) {
            Map<String, Object> actual = readBack((Integer) expected.get("id"));
            for (Column column : ALL_TYPES.columns()) {
                Object want = expected.get(column.name());
                Object got = actual.get(column.name());
                if (column.name().equals("doc") && want != null) {
                    assertThat(postgres.queryValue("SELECT doc = '" + want + "'::jsonb FROM public.all_types WHERE id = "
                            + expected.get("id"))).as("jsonb of row %s", expected.get("id")).isEqualTo(true);
                } else if (want instanceof byte[] bytes) {
                    assertThat((byte[]) got).as("bytea of row %s", expected.get("id")).containsExactly(bytes);
                } else if (want instanceof BigDecimal d && column.type().isBoundedDecimal()) {
                    assertThat(got).as("%s of row %s", column.name(), expected.get("id")).isEqualTo(d.setScale(10));
                } else {
                    assertThat(got).as("%s of row %s", column.name(), expected.get("id")).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void shouldQuoteEveryIdentifier() throws Exception {
        postgres.execute("CREATE SCHEMA \"Sales Dept\"",
                "CREATE TABLE \"Sales Dept\".\"Order \"\"Lines\"\"\" (\"select\" int4 PRIMARY KEY, \"Mixed Case\" text)");
        TableSchema odd = new TableSchema(new TableRef("erp", "Sales Dept", "Order \"Lines\""),
                List.of(column("select", Kind.INT32, "int4"), column("Mixed Case", Kind.STRING, "text")),
                List.of("select"), List.of());

        try (Connection c = postgres.connect();
             PreparedStatement ps = c.prepareStatement(DIALECT.upsert(odd.ref(), odd.columns().subList(0, 1), odd.columns()))) {
            DIALECT.bind(ps, 1, odd.columns().get(0), 1);
            DIALECT.bind(ps, 2, odd.columns().get(1), "value");
            ps.executeUpdate();
        }

        assertThat(postgres.queryValue("SELECT \"Mixed Case\" FROM \"Sales Dept\".\"Order \"\"Lines\"\"\"")).isEqualTo("value");
    }

    @Test
    void shouldUpsertOnlyWhenSomeValueDiffers() {
        Column id = column("id", Kind.INT32, "int4");
        Column name = column("name", Kind.STRING, "text");

        String sql = DIALECT.upsert(new TableRef("erp", "public", "t"), List.of(id), List.of(id, name));

        assertThat(sql).isEqualTo("INSERT INTO \"public\".\"t\" AS t (\"id\", \"name\") VALUES (?, ?) "
                + "ON CONFLICT (\"id\") DO UPDATE SET \"name\" = EXCLUDED.\"name\" "
                + "WHERE ROW(t.\"name\") IS DISTINCT FROM ROW(EXCLUDED.\"name\")");
    }

    @Test
    void shouldInsertOrDoNothingWhenEveryColumnIsAKeyColumn() {
        Column id = column("id", Kind.INT32, "int4");

        assertThat(DIALECT.upsert(new TableRef("erp", "public", "t"), List.of(id), List.of(id)))
                .endsWith("ON CONFLICT (\"id\") DO NOTHING");
    }

    @Test
    void shouldCastEnumAndJsonParametersAndCompareJsonAsText() throws Exception {
        postgres.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')",
                "CREATE TABLE public.moods (id int4 PRIMARY KEY, feeling mood, payload json)");
        List<Column> columns = List.of(column("id", Kind.INT32, "int4"), column("feeling", Kind.STRING, "mood"),
                column("payload", Kind.JSON, "json"));
        TableRef moods = new TableRef("erp", "public", "moods");
        String sql = DIALECT.upsert(moods, columns.subList(0, 1), columns);

        int[] counts = new int[2];
        try (Connection c = postgres.connect()) {
            for (int round = 0; round < 2; round++) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    DIALECT.bind(ps, 1, columns.get(0), 1);
                    DIALECT.bind(ps, 2, columns.get(1), "happy");
                    DIALECT.bind(ps, 3, columns.get(2), "{\"b\": 1,  \"a\": 2}");
                    counts[round] = ps.executeUpdate();
                }
            }
        }

        assertThat(counts).containsExactly(1, 0);
        assertThat(postgres.queryValue("SELECT feeling::text FROM public.moods")).isEqualTo("happy");
        assertThat(postgres.queryValue("SELECT payload::text FROM public.moods")).isEqualTo("{\"b\": 1,  \"a\": 2}");
    }

    @Test
    void shouldRefuseNanosecondsThatPostgresWouldRound() {
        Column happened = column("happened", Kind.TIMESTAMPTZ, "timestamptz");

        assertThatThrownBy(() -> DIALECT.bind(null, 1, happened, Instant.parse("2024-01-01T00:00:00.000000001Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("happened").hasMessageContaining("microseconds");
    }

    @Test
    void shouldRefuseASmallintOutOfRangeInsteadOfWrappingIt() {
        Column small = column("small", Kind.INT16, "int2");

        assertThatThrownBy(() -> DIALECT.bind(null, 1, small, 40_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value out of range for column small (int2)");
    }

    @Test
    void shouldRefuseAValueOfTheWrongJavaTypeWithoutQuotingIt() {
        Column normal = column("normal", Kind.INT32, "int4");

        assertThatThrownBy(() -> DIALECT.bind(null, 1, normal, "secret-value"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column normal (int4) takes a Integer, not a String");
    }

    @Test
    void shouldCreateTheBookkeepingTablesWhenMissingAndOnlyThen() throws Exception {
        postgres.execute("DROP SCHEMA IF EXISTS dualsync CASCADE");
        Bookkeeping bookkeeping = new Bookkeeping(DIALECT);

        try (Connection c = postgres.connect()) {
            assertThat(bookkeeping.ensureCreated(c)).isTrue();
            assertThat(bookkeeping.ensureCreated(c)).isFalse();
        }

        assertThat(postgres.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'dualsync' "
                + "AND table_name = 'row_state'")).isEqualTo(7);
        assertThat(postgres.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'dualsync' "
                + "AND table_name = 'apply_checkpoint'")).isEqualTo(4);
    }

    private static void upsert(Connection c, Map<String, Object> row) throws Exception {
        List<Column> columns = ALL_TYPES.columns();
        try (PreparedStatement ps = c.prepareStatement(DIALECT.upsert(ALL_TYPES.ref(), columns.subList(0, 1), columns))) {
            for (int i = 0; i < columns.size(); i++) {
                DIALECT.bind(ps, i + 1, columns.get(i), row.get(columns.get(i).name()));
            }
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /** Reads a row back into canonical Java values, as a user's JDBC code would. */
    private static Map<String, Object> readBack(int id) throws Exception {
        try (Connection c = postgres.connect();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM public.all_types WHERE id = ?")) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", rs.getInt("id"));
                row.put("amount", rs.getBigDecimal("amount"));
                row.put("unbounded", rs.getBigDecimal("unbounded"));
                OffsetDateTime happened = rs.getObject("happened", OffsetDateTime.class);
                row.put("happened", happened == null ? null : happened.toInstant());
                row.put("local_time_stamp", rs.getObject("local_time_stamp", LocalDateTime.class));
                row.put("day", rs.getObject("day", LocalDate.class));
                row.put("clock", rs.getObject("clock", LocalTime.class));
                row.put("ref", rs.getObject("ref", UUID.class));
                row.put("doc", rs.getString("doc"));
                row.put("raw", rs.getBytes("raw"));
                row.put("label", rs.getString("label"));
                row.put("code", rs.getString("code"));
                row.put("flag", rs.getObject("flag"));
                row.put("small", rs.getObject("small") == null ? null : rs.getInt("small"));
                row.put("normal", rs.getObject("normal"));
                row.put("big", rs.getObject("big"));
                row.put("single", rs.getObject("single"));
                row.put("dbl", rs.getObject("dbl"));
                return row;
            }
        }
    }

    private static Map<String, Object> row(int id, String amount, String unbounded, Instant happened,
                                           LocalDateTime localTimeStamp, LocalDate day, LocalTime clock, UUID ref,
                                           String doc, byte[] raw, String label, String code, boolean flag,
                                           int small, int normal, long big, float single, double dbl) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("amount", new BigDecimal(amount));
        row.put("unbounded", new BigDecimal(unbounded));
        row.put("happened", happened);
        row.put("local_time_stamp", localTimeStamp);
        row.put("day", day);
        row.put("clock", clock);
        row.put("ref", ref);
        row.put("doc", doc);
        row.put("raw", raw);
        row.put("label", label);
        row.put("code", code);
        row.put("flag", flag);
        row.put("small", small);
        row.put("normal", normal);
        row.put("big", big);
        row.put("single", single);
        row.put("dbl", dbl);
        return row;
    }

    private static List<Map<String, Object>> concat(List<Map<String, Object>> rows, Map<String, Object> last) {
        List<Map<String, Object>> all = new ArrayList<>(rows);
        all.add(last);
        return all;
    }
}
