package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The values a PostgreSQL source can send, written through {@link MariaDbDialect} into real MariaDB
 * columns and read back: every boundary value comes back exactly, and every value MariaDB cannot
 * hold is refused with a reason naming the column (never rounded, truncated or clamped).
 */
class MariaDbTypeFidelityTest {

    private static final String DATABASE = "type_fidelity_test";
    private static final TestMariaDb mariadb = TestMariaDb.shared();
    private static final MariaDbDialect DIALECT = new MariaDbDialect();

    @BeforeAll
    static void createDatabase() throws SQLException {
        mariadb.createDatabase(DATABASE);
    }

    static Stream<Arguments> exactValues() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        return Stream.of(
                arguments("smallint", type(Kind.INT16, "smallint"), (int) Short.MAX_VALUE),
                arguments("smallint", type(Kind.INT16, "smallint"), (int) Short.MIN_VALUE),
                arguments("int", type(Kind.INT32, "int"), Integer.MAX_VALUE),
                arguments("int", type(Kind.INT32, "int"), Integer.MIN_VALUE),
                arguments("bigint", type(Kind.INT64, "bigint"), Long.MAX_VALUE),
                arguments("bigint", type(Kind.INT64, "bigint"), Long.MIN_VALUE),
                arguments("int unsigned", type(Kind.INT64, "int unsigned"), 4_294_967_295L),
                arguments("bigint unsigned", SqlType.decimal(20, 0, "bigint unsigned"), new BigDecimal("18446744073709551615")),
                arguments("decimal(38,10)", SqlType.decimal(38, 10, "decimal"), new BigDecimal("9999999999999999999999999999.9999999999")),
                arguments("decimal(38,10)", SqlType.decimal(38, 10, "decimal"), new BigDecimal("-9999999999999999999999999999.9999999999")),
                arguments("decimal(65,30)", SqlType.decimal(65, 30, "decimal"),
                        new BigDecimal("99999999999999999999999999999999999.999999999999999999999999999999")),
                arguments("float", type(Kind.FLOAT32, "float"), Float.MAX_VALUE),
                arguments("float", type(Kind.FLOAT32, "float"), Float.MIN_VALUE),
                arguments("double", type(Kind.FLOAT64, "double"), Double.MAX_VALUE),
                arguments("double", type(Kind.FLOAT64, "double"), Double.MIN_NORMAL),
                arguments("double", type(Kind.FLOAT64, "double"), -Double.MAX_VALUE),
                arguments("double", type(Kind.FLOAT64, "double"), 0.0d),
                arguments("boolean", type(Kind.BOOLEAN, "tinyint(1)"), true),
                arguments("boolean", type(Kind.BOOLEAN, "tinyint(1)"), false),
                arguments("varchar(4)", new SqlType(Kind.STRING, 4, 0, "varchar"), "😀日é\u0000".substring(0, 4)),
                arguments("text", type(Kind.STRING, "text"), "Zoë 😀 日本 \uD83D\uDC68\u200D\uD83D\uDC69"),
                arguments("char(3)", new SqlType(Kind.STRING, 3, 0, "char"), "a😀b"),
                arguments("enum('happy','sad')", type(Kind.STRING, "enum"), "sad"),
                arguments("date", type(Kind.DATE, "date"), LocalDate.parse("2024-02-29")),
                arguments("date", type(Kind.DATE, "date"), LocalDate.parse("0001-01-01")),
                arguments("date", type(Kind.DATE, "date"), LocalDate.parse("9999-12-31")),
                arguments("time(6)", new SqlType(Kind.TIME, 6, 0, "time"), LocalTime.parse("23:59:59.999999")),
                arguments("datetime(6)", new SqlType(Kind.TIMESTAMP, 6, 0, "datetime"), LocalDateTime.parse("2024-03-31T02:30:00")),
                arguments("datetime(6)", new SqlType(Kind.TIMESTAMP, 6, 0, "datetime"), LocalDateTime.parse("9999-12-31T23:59:59.999999")),
                arguments("timestamp(6)", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp"), Instant.parse("2024-03-31T00:30:00Z")),
                arguments("timestamp(6)", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp"), MariaDbValues.TIMESTAMP_MIN),
                arguments("timestamp(6)", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp"), MariaDbValues.TIMESTAMP_MAX),
                arguments("uuid", type(Kind.UUID, "uuid"), UUID.fromString("123e4567-e89b-12d3-a456-426614174000")),
                arguments("json", type(Kind.JSON, "json"), "{\"name\": \"Zoë 😀\", \"n\": [1, 2.50, -0]}"),
                arguments("varbinary(256)", new SqlType(Kind.BYTES, 256, 0, "varbinary"), everyByte),
                arguments("blob", type(Kind.BYTES, "blob"), everyByte),
                arguments("binary(16)", new SqlType(Kind.BYTES, 16, 0, "binary"), new byte[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, (byte) 255}));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("exactValues")
    void shouldStoreTheValueExactly(String ddlType, SqlType type, Object value) throws Exception {
        Column column = new Column("v", type, true);
        recreate(ddlType);

        insert(column, value);

        assertThat(readBack(column)).isEqualTo(value);
    }

    static Stream<Arguments> unrepresentableValues() {
        return Stream.of(
                arguments("smallint", type(Kind.INT16, "tinyint"), 128, "outside its range -128 to 127"),
                arguments("int unsigned", type(Kind.INT64, "int unsigned"), -1L, "outside its range 0 to 4294967295"),
                arguments("decimal(38,10)", SqlType.decimal(38, 10, "decimal"), new BigDecimal("0.12345678901"), "without rounding"),
                arguments("decimal(38,10)", SqlType.decimal(38, 10, "decimal"), new BigDecimal("99999999999999999999999999999"), "digits"),
                arguments("double", type(Kind.FLOAT64, "double"), Double.NaN, "no NaN or infinity"),
                arguments("float", type(Kind.FLOAT32, "float"), Float.POSITIVE_INFINITY, "no NaN or infinity"),
                arguments("double", type(Kind.FLOAT64, "double"), -0.0d, "sign of a negative zero"),
                arguments("float", type(Kind.FLOAT32, "float"), -0.0f, "sign of a negative zero"),
                arguments("double", type(Kind.FLOAT64, "double"), Double.MIN_VALUE, "no subnormal numbers"),
                arguments("varchar(3)", new SqlType(Kind.STRING, 3, 0, "varchar"), "abcd", "4 characters, more than the column's 3"),
                arguments("varchar(10) character set utf8mb3", new SqlType(Kind.STRING, 10, 0, "varchar character set utf8mb3"),
                        "ok 😀", "4-byte UTF-8 character"),
                arguments("varchar(10) character set latin1", new SqlType(Kind.STRING, 10, 0, "varchar character set latin1"),
                        "日本", "character set latin1 cannot store"),
                arguments("date", type(Kind.DATE, "date"), LocalDate.parse("-0001-12-31"), "outside MariaDB's range"),
                arguments("time(3)", new SqlType(Kind.TIME, 3, 0, "time"), LocalTime.parse("23:59:59.999999"), "keeps 3 fractional"),
                arguments("datetime(6)", new SqlType(Kind.TIMESTAMP, 6, 0, "datetime"), LocalDateTime.parse("2024-01-01T00:00:00.000000001"),
                        "keeps 6 fractional"),
                arguments("timestamp(6)", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp"), Instant.parse("1970-01-01T00:00:00Z"),
                        "outside MariaDB's TIMESTAMP range"),
                arguments("timestamp(6)", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp"), Instant.parse("2038-01-19T03:14:08Z"),
                        "outside MariaDB's TIMESTAMP range"),
                arguments("binary(16)", new SqlType(Kind.BYTES, 16, 0, "binary"), new byte[]{1, 2, 3}, "pad it with zero bytes"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("unrepresentableValues")
    void shouldRefuseAValueTheColumnCannotHoldWithAPreciseReason(String ddlType, SqlType type, Object value, String reason)
            throws Exception {
        Column column = new Column("v", type, true);
        recreate(ddlType);

        assertThatThrownBy(() -> insert(column, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column v (" + type.nativeName() + ")")
                .hasMessageContaining(reason);
        assertThat(mariadbCount()).isZero();
    }

    private static SqlType type(Kind kind, String nativeName) {
        return SqlType.of(kind, nativeName);
    }

    private static void recreate(String ddlType) throws SQLException {
        String ddl = ddlType.equals("json") ? "longtext CHECK (json_valid(v))"
                : ddlType.equals("boolean") ? "tinyint(1)" : ddlType;
        try (Connection c = mariadb.connect(DATABASE); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS t");
            s.execute("CREATE TABLE t (id int PRIMARY KEY, v " + ddl + ")");
        }
    }

    private static void insert(Column column, Object value) throws SQLException {
        try (Connection c = mariadb.connect(DATABASE);
             PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (1, ?)")) {
            DIALECT.bind(ps, 1, column, value);
            ps.executeUpdate();
        }
    }

    private static long mariadbCount() throws SQLException {
        try (Connection c = mariadb.connect(DATABASE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The stored value as the canonical Java value of its kind. */
    private static Object readBack(Column column) throws SQLException {
        // MariaDB prints a FLOAT with 6 significant digits in query results; the stored float is
        // exact, and reads back exactly through a DOUBLE
        String select = column.type().kind() == Kind.FLOAT32 ? "SELECT CAST(v AS DOUBLE) FROM t" : "SELECT v FROM t";
        try (Connection c = mariadb.connect(DATABASE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(select)) {
            rs.next();
            return switch (column.type().kind()) {
                case BOOLEAN -> rs.getBoolean(1);
                case INT16, INT32 -> rs.getInt(1);
                case INT64 -> rs.getLong(1);
                case DECIMAL -> rs.getBigDecimal(1);
                case FLOAT32 -> (float) rs.getDouble(1);
                case FLOAT64 -> rs.getDouble(1);
                case STRING, JSON -> rs.getString(1);
                case DATE -> rs.getObject(1, LocalDate.class);
                case TIME -> rs.getObject(1, LocalTime.class);
                case TIMESTAMP -> rs.getObject(1, LocalDateTime.class);
                // the session's time_zone is +00:00
                case TIMESTAMPTZ -> rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                case UUID -> UUID.fromString(rs.getString(1));
                case BYTES -> rs.getBytes(1);
            };
        }
    }
}
