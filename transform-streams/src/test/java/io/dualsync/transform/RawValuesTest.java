package io.dualsync.transform;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import org.apache.avro.Schema;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.UUID;

import static io.dualsync.transform.DebeziumEvents.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading Debezium's encodings of each column type (brief, "Raw topics") into canonical values. */
class RawValuesTest {

    private static Object decode(Kind kind, Schema schema, Object datum) {
        return RawValues.decode(new Column("c", SqlType.of(kind, kind.name().toLowerCase()), true), schema, datum);
    }

    private static Object decode(Kind kind, Object datum) {
        return decode(kind, null, datum);
    }

    @Test
    void shouldReadDecimalsFromTheirExactText() {
        assertThat(decode(Kind.DECIMAL, new Utf8("12.3400000000"))).isEqualTo(new BigDecimal("12.3400000000"));
    }

    @Test
    void shouldReadDatesAsDaysSinceTheEpoch() {
        assertThat(decode(Kind.DATE, 19782)).isEqualTo(LocalDate.of(2024, 2, 29));
    }

    @Test
    void shouldReadTimesAndTimestampsAsMicrosByDefault() {
        assertThat(decode(Kind.TIME, 86_399_999_999L)).isEqualTo(LocalTime.parse("23:59:59.999999"));
        assertThat(decode(Kind.TIMESTAMP, named(Schema.Type.LONG, "io.debezium.time.MicroTimestamp"), 1_709_251_199_999_999L))
                .isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.999999"));
    }

    @Test
    void shouldReadTimestampsOfTheFirstAndLastYearsExactly() {
        Schema micros = named(Schema.Type.LONG, "io.debezium.time.MicroTimestamp");
        // beyond 2262 and before 1677 the value in nanoseconds no longer fits a long
        assertThat(decode(Kind.TIMESTAMP, micros, 253_402_300_799_999_999L))
                .isEqualTo(LocalDateTime.parse("9999-12-31T23:59:59.999999"));
        assertThat(decode(Kind.TIMESTAMP, micros, -62_135_596_800_000_000L))
                .isEqualTo(LocalDateTime.parse("0001-01-01T00:00:00"));
        assertThat(decode(Kind.TIMESTAMP, named(Schema.Type.LONG, "io.debezium.time.Timestamp"), 253_402_300_799_999L))
                .isEqualTo(LocalDateTime.parse("9999-12-31T23:59:59.999"));
    }

    @Test
    void shouldReadMillisecondTimestampsWhereDebeziumSaysSo() {
        Schema millis = Schema.createUnion(Schema.create(Schema.Type.NULL), named(Schema.Type.LONG, "io.debezium.time.Timestamp"));
        assertThat(decode(Kind.TIMESTAMP, millis, 1_709_251_199_999L)).isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.999"));
        assertThat(decode(Kind.TIME, named(Schema.Type.INT, "io.debezium.time.Time"), 1_500)).isEqualTo(LocalTime.parse("00:00:01.500"));
    }

    @Test
    void shouldReadZonedTimestampsFromIsoText() {
        assertThat(decode(Kind.TIMESTAMPTZ, new Utf8("2024-02-29T23:59:59.999999Z"))).isEqualTo(Instant.parse("2024-02-29T23:59:59.999999Z"));
        assertThat(decode(Kind.TIMESTAMPTZ, "2024-03-01T00:59:59+01:00")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    }

    @Test
    void shouldReadUuidsTextAndBytes() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(decode(Kind.UUID, new Utf8(id.toString()))).isEqualTo(id);
        assertThat(decode(Kind.STRING, new Utf8("Zoë"))).isEqualTo("Zoë");
        assertThat((byte[]) decode(Kind.BYTES, ByteBuffer.wrap(new byte[] {1, 2}))).containsExactly(1, 2);
    }

    @Test
    void shouldReadNumbersAndBooleans() {
        assertThat(decode(Kind.INT16, 7)).isEqualTo(7);
        assertThat(decode(Kind.INT64, 7L)).isEqualTo(7L);
        assertThat(decode(Kind.FLOAT32, 0.5f)).isEqualTo(0.5f);
        assertThat(decode(Kind.FLOAT64, 0.25d)).isEqualTo(0.25d);
        assertThat(decode(Kind.BOOLEAN, true)).isEqualTo(true);
    }

    @Test
    void shouldReportAnUnexpectedEncodingWithoutTheValue() {
        assertThatThrownBy(() -> decode(Kind.DECIMAL, new Utf8("12,5")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("column 'c'")
                .hasMessageNotContaining("12,5");
    }

    @Test
    void shouldRefuseTextWhoseBytesAreNotUtf8InsteadOfReplacingThem() {
        // "a", then a lone surrogate U+D800 encoded CESU-8 style, then "b"
        Utf8 surrogate = new Utf8(new byte[]{'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b'});

        assertThatThrownBy(() -> decode(Kind.STRING, surrogate))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("column 'c'")
                .hasMessageContaining("not valid UTF-8");
        assertThat(decode(Kind.STRING, new Utf8("Grüße 😀"))).isEqualTo("Grüße 😀");
    }
}
