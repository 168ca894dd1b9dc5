package io.dualsync.transform;

import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every conversion between column types the transform supports: exact, or refused with a reason. */
class TypeConverterTest {

    private static final SqlType SMALLINT = SqlType.of(Kind.INT16, "smallint");
    private static final SqlType INT = SqlType.of(Kind.INT32, "integer");
    private static final SqlType BIGINT = SqlType.of(Kind.INT64, "bigint");
    private static final SqlType DECIMAL_38_10 = SqlType.decimal(38, 10, "numeric");
    private static final SqlType DECIMAL_5_2 = SqlType.decimal(5, 2, "numeric");
    private static final SqlType NUMERIC = new SqlType(Kind.DECIMAL, 0, -1, "numeric");
    private static final SqlType REAL = SqlType.of(Kind.FLOAT32, "real");
    private static final SqlType DOUBLE = SqlType.of(Kind.FLOAT64, "double precision");
    private static final SqlType TEXT = SqlType.of(Kind.STRING, "text");
    private static final SqlType VARCHAR_5 = new SqlType(Kind.STRING, 5, 0, "varchar");
    private static final SqlType JSON = SqlType.of(Kind.JSON, "jsonb");
    private static final SqlType BOOLEAN = SqlType.of(Kind.BOOLEAN, "boolean");
    private static final SqlType DATE = SqlType.of(Kind.DATE, "date");
    private static final SqlType TIME = SqlType.of(Kind.TIME, "time");
    private static final SqlType TIMESTAMP = SqlType.of(Kind.TIMESTAMP, "timestamp");
    private static final SqlType TIMESTAMPTZ = SqlType.of(Kind.TIMESTAMPTZ, "timestamptz");
    private static final SqlType UUID_TYPE = SqlType.of(Kind.UUID, "uuid");
    private static final SqlType BYTES = SqlType.of(Kind.BYTES, "bytea");

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** Source timestamps meant in Berlin, target timestamps in UTC. */
    private final TypeConverter converter = new TypeConverter(BERLIN, ZoneOffset.UTC);

    private Object convert(Object value, SqlType target) {
        return converter.convert(value, target, "col");
    }

    private void assertRefused(Object value, SqlType target, String reason) {
        assertThatThrownBy(() -> convert(value, target))
                .isInstanceOf(MappingException.class)
                .hasMessageStartingWith("column 'col': ")
                .hasMessageContaining(reason)
                .hasMessageNotContaining(String.valueOf(value));
    }

    @Test
    void shouldPassNullThroughToEveryType() {
        for (SqlType type : new SqlType[] {SMALLINT, DECIMAL_38_10, TEXT, BOOLEAN, TIMESTAMPTZ, BYTES}) {
            assertThat(convert(null, type)).isNull();
        }
    }

    // ---- integers

    @Test
    void shouldWidenIntegers() {
        assertThat(convert(12, BIGINT)).isEqualTo(12L);
        assertThat(convert(Integer.MIN_VALUE, BIGINT)).isEqualTo((long) Integer.MIN_VALUE);
    }

    @Test
    void shouldNarrowIntegersWithinRange() {
        assertThat(convert(32_767L, SMALLINT)).isEqualTo(32_767);
        assertThat(convert(-5L, INT)).isEqualTo(-5);
    }

    @Test
    void shouldRefuseToNarrowAnIntegerOutOfRange() {
        assertRefused(32_768, SMALLINT, "out of the range of smallint");
        assertRefused(3_000_000_000L, INT, "out of the range of integer");
    }

    @Test
    void shouldConvertIntegersToDecimalsAtTheTargetScale() {
        assertThat(convert(42L, DECIMAL_38_10)).isEqualTo(new BigDecimal("42.0000000000"));
    }

    @Test
    void shouldConvertAWholeDecimalToAnInteger() {
        assertThat(convert(new BigDecimal("42.000"), INT)).isEqualTo(42);
        assertThat(convert(new BigDecimal("1E+3"), BIGINT)).isEqualTo(1000L);
    }

    @Test
    void shouldRefuseADecimalWithAFractionForAnInteger() {
        assertRefused(new BigDecimal("42.5"), INT, "fractional part");
    }

    // ---- decimals

    @Test
    void shouldKeepEveryDigitOfADecimal38_10() {
        BigDecimal max = new BigDecimal("9999999999999999999999999999.9999999999");
        assertThat(convert(max, DECIMAL_38_10)).isEqualTo(max);
        assertThat(convert(new BigDecimal("0.1"), DECIMAL_38_10)).isEqualTo(new BigDecimal("0.1000000000"));
    }

    @Test
    void shouldRefuseADecimalWithTooManyIntegerDigits() {
        assertRefused(new BigDecimal("99999999999999999999999999999"), DECIMAL_38_10, "integer digits does not fit numeric(38,10)");
    }

    @Test
    void shouldRefuseADecimalWithTooManyFractionalDigitsRatherThanRound() {
        assertRefused(new BigDecimal("1.00000000005"), DECIMAL_38_10, "without rounding");
        assertRefused(new BigDecimal("1.005"), DECIMAL_5_2, "without rounding");
    }

    @Test
    void shouldAcceptTrailingZerosBeyondTheScale() {
        assertThat(convert(new BigDecimal("1.500000"), DECIMAL_5_2)).isEqualTo(new BigDecimal("1.50"));
    }

    @Test
    void shouldKeepTheScaleOfAnUnboundedNumeric() {
        assertThat(convert(new BigDecimal("1.123456789012345678901234567890"), NUMERIC))
                .isEqualTo(new BigDecimal("1.123456789012345678901234567890"));
    }

    // ---- floating point

    @Test
    void shouldConvertFloatsToDecimalsByTheirShortestRepresentation() {
        assertThat(convert(0.1f, DECIMAL_5_2)).isEqualTo(new BigDecimal("0.10"));
        assertThat(convert(2.25d, DECIMAL_38_10)).isEqualTo(new BigDecimal("2.2500000000"));
    }

    @Test
    void shouldConvertExactDecimalsAndIntegersToFloats() {
        assertThat(convert(new BigDecimal("0.1"), DOUBLE)).isEqualTo(0.1d);
        assertThat(convert(0.1f, DOUBLE)).isEqualTo(0.1d);
        assertThat(convert(0.5d, REAL)).isEqualTo(0.5f);
        assertThat(convert(1L << 53, DOUBLE)).isEqualTo((double) (1L << 53));
    }

    @Test
    void shouldRefuseNumbersAFloatCannotHoldExactly() {
        assertRefused((1L << 53) + 1, DOUBLE, "cannot be held exactly by double precision");
        assertRefused(new BigDecimal("0.1000000000000000000001"), DOUBLE, "cannot be held exactly");
        assertRefused(16_777_217, REAL, "cannot be held exactly by real");
        assertRefused(Double.NaN, DECIMAL_38_10, "not-a-number");
    }

    // ---- text

    @ParameterizedTest
    @CsvSource({"' 42 ', INT64", "-7, INT16"})
    void shouldParseTextIntoIntegers(String text, Kind kind) {
        assertThat(((Number) convert(text, SqlType.of(kind, "int"))).longValue()).isEqualTo(Long.parseLong(text.strip()));
    }

    @Test
    void shouldParseTextIntoDecimalsExactly() {
        assertThat(convert("12.34", DECIMAL_38_10)).isEqualTo(new BigDecimal("12.3400000000"));
        assertRefused("12.345", DECIMAL_5_2, "without rounding");
    }

    @Test
    void shouldRefuseTextThatIsNotANumber() {
        assertRefused("twelve", INT, "not a number");
        assertRefused("12,5", DECIMAL_38_10, "not a number");
    }

    @Test
    void shouldParseTextIntoDatesTimesTimestampsAndUuids() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(convert("2024-02-29", DATE)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(convert("23:59:59.999999", TIME)).isEqualTo(LocalTime.parse("23:59:59.999999"));
        assertThat(convert("2024-02-29 23:59:59.5", TIMESTAMP)).isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.5"));
        assertThat(convert("2024-02-29T23:59:59.999999+01:00", TIMESTAMPTZ)).isEqualTo(Instant.parse("2024-02-29T22:59:59.999999Z"));
        assertThat(convert(id.toString(), UUID_TYPE)).isEqualTo(id);
    }

    @Test
    void shouldRefuseUnparsableTextWithoutQuotingIt() {
        assertRefused("2024-02-30", DATE, "not a valid date");
        assertRefused("noon", TIME, "not a valid time");
        assertRefused("yesterday", TIMESTAMPTZ, "not a valid timestamp with offset");
        assertRefused("not-a-uuid", UUID_TYPE, "not a UUID");
    }

    @Test
    void shouldTurnAnythingIntoText() {
        assertThat(convert(42, TEXT)).isEqualTo("42");
        assertThat(convert(new BigDecimal("1E+3"), TEXT)).isEqualTo("1000");
        assertThat(convert(new BigDecimal("12.3400000000"), TEXT)).isEqualTo("12.3400000000");
        assertThat(convert(true, TEXT)).isEqualTo("true");
        assertThat(convert(LocalDate.of(2024, 2, 29), TEXT)).isEqualTo("2024-02-29");
        assertThat(convert(Instant.parse("2024-02-29T23:59:59.999999Z"), TEXT)).isEqualTo("2024-02-29T23:59:59.999999Z");
        assertThat(convert(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), TEXT)).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
        assertThat(convert(new byte[] {1, 2, 3}, TEXT)).isEqualTo("AQID");
    }

    @Test
    void shouldRefuseTextLongerThanTheTargetColumnRatherThanTruncate() {
        assertThat(convert("ängel", VARCHAR_5)).isEqualTo("ängel");
        assertRefused("angels", VARCHAR_5, "6 characters is longer than varchar(5)");
    }

    @Test
    void shouldKeepJsonAsText() {
        assertThat(convert("{\"a\": 1}", JSON)).isEqualTo("{\"a\": 1}");
        assertRefused(42, JSON, "cannot convert an integer to jsonb");
    }

    // ---- booleans

    @Test
    void shouldConvertBooleansToAndFromText() {
        assertThat(convert("TRUE", BOOLEAN)).isEqualTo(true);
        assertThat(convert("false", BOOLEAN)).isEqualTo(false);
        assertThat(convert(false, TEXT)).isEqualTo("false");
        assertRefused("yes", BOOLEAN, "neither 'true' nor 'false'");
    }

    @Test
    void shouldConvertBooleansToAndFromOneAndZero() {
        assertThat(convert(1, BOOLEAN)).isEqualTo(true);
        assertThat(convert(0L, BOOLEAN)).isEqualTo(false);
        assertThat(convert(true, SMALLINT)).isEqualTo(1);
        assertRefused(2, BOOLEAN, "only 0 and 1");
    }

    // ---- time zones

    @Test
    void shouldReadAZoneLessSourceTimestampInTheSourceEndpointsZone() {
        assertThat(convert(LocalDateTime.parse("2024-01-15T12:00:00"), TIMESTAMPTZ)).isEqualTo(Instant.parse("2024-01-15T11:00:00Z"));
        assertThat(convert(LocalDateTime.parse("2024-07-15T12:00:00"), TIMESTAMPTZ)).isEqualTo(Instant.parse("2024-07-15T10:00:00Z"));
    }

    @Test
    void shouldWriteAnInstantAsATimestampInTheTargetEndpointsZone() {
        assertThat(convert(Instant.parse("2024-07-15T10:00:00.123456Z"), TIMESTAMP)).isEqualTo(LocalDateTime.parse("2024-07-15T10:00:00.123456"));
        TypeConverter towardBerlin = new TypeConverter(ZoneOffset.UTC, BERLIN);
        assertThat(towardBerlin.convert(Instant.parse("2024-07-15T10:00:00Z"), TIMESTAMP, "col")).isEqualTo(LocalDateTime.parse("2024-07-15T12:00:00"));
    }

    @Test
    void shouldKeepTheInstantOfATimestampBetweenEndpointsInDifferentZones() {
        assertThat(convert(LocalDateTime.parse("2024-07-15T12:00:00"), TIMESTAMP)).isEqualTo(LocalDateTime.parse("2024-07-15T10:00:00"));
        TypeConverter sameZone = new TypeConverter(BERLIN, BERLIN);
        assertThat(sameZone.convert(LocalDateTime.parse("2024-07-15T12:00:00"), TIMESTAMP, "col")).isEqualTo(LocalDateTime.parse("2024-07-15T12:00:00"));
    }

    // ---- no conversion

    @Test
    void shouldRefusePairsWithoutAnExactConversion() {
        assertRefused(LocalDate.of(2024, 1, 1), INT, "cannot convert a date to integer");
        assertRefused(LocalDate.of(2024, 1, 1), TIMESTAMP, "cannot convert a date to timestamp");
        assertRefused("AQID", BYTES, "cannot convert text to bytea");
        assertRefused(UUID.randomUUID(), BIGINT, "cannot convert a UUID to bigint");
    }

    @Test
    void shouldPassValuesOfTheSameKindThrough() {
        byte[] bytes = {1, 2};
        UUID id = UUID.randomUUID();
        assertThat(convert(bytes, BYTES)).isSameAs(bytes);
        assertThat(convert(id, UUID_TYPE)).isEqualTo(id);
        assertThat(convert(LocalTime.NOON, TIME)).isEqualTo(LocalTime.NOON);
        assertThat(convert(LocalDate.EPOCH, DATE)).isEqualTo(LocalDate.EPOCH);
    }
}
