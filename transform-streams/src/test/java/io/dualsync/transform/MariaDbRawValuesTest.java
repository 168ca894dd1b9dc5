package io.dualsync.transform;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import org.apache.avro.Schema;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;
import java.util.UUID;

import static io.dualsync.transform.DebeziumEvents.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Debezium's MariaDB encodings, as read from a real record (MariaDB 11.4, Debezium 3.5, Apicurio
 * converter), into canonical values of the column types the MariaDB catalog reader gives.
 */
class MariaDbRawValuesTest {

    private static Object decode(SqlType type, Schema schema, Object datum) {
        return RawValues.decode(new Column("c", type, true), schema, datum);
    }

    /** BIGINT UNSIGNED with bigint.unsigned.handling.mode=precise: Connect Decimal, scale 0, as bytes. */
    private static Schema connectDecimal() {
        Schema s = Schema.create(Schema.Type.BYTES);
        s.addProp("connect.name", "org.apache.kafka.connect.data.Decimal");
        s.addProp("scale", 0);
        s.addProp("precision", 20);
        s.addProp("logicalType", "decimal");
        return s;
    }

    @Test
    void shouldReadTheLargestUnsignedBigintExactly() {
        byte[] max = new BigInteger("18446744073709551615").toByteArray();
        assertThat(decode(SqlType.decimal(20, 0, "bigint unsigned"), connectDecimal(), ByteBuffer.wrap(max)))
                .isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(decode(SqlType.decimal(20, 0, "bigint unsigned"), connectDecimal(), ByteBuffer.wrap(new byte[] {0})))
                .isEqualTo(BigDecimal.ZERO);
    }

    @Test
    void shouldReadAnUnsignedBigintIntoALongOnlyWhenItFits() {
        SqlType bigint = SqlType.of(Kind.INT64, "bigint");
        assertThat(decode(bigint, connectDecimal(), ByteBuffer.wrap(BigInteger.valueOf(Long.MAX_VALUE).toByteArray())))
                .isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> decode(bigint, connectDecimal(), ByteBuffer.wrap(new BigInteger("9223372036854775808").toByteArray())))
                .isInstanceOf(MappingException.class)
                .hasMessage("column 'c': number is out of the range of bigint");
    }

    @Test
    void shouldReadTinyintOneAsBooleanOnlyFromZeroOrOne() {
        SqlType bool = SqlType.of(Kind.BOOLEAN, "tinyint(1)");
        assertThat(decode(bool, null, 1)).isEqualTo(true);
        assertThat(decode(bool, null, 0)).isEqualTo(false);
        assertThatThrownBy(() -> decode(bool, null, 2)).isInstanceOf(MappingException.class)
                .hasMessage("column 'c': a TINYINT(1) holding a value other than 0 or 1 cannot be read as tinyint(1)");
    }

    @Test
    void shouldReadUnsignedIntegersOfEveryWidth() {
        assertThat(decode(SqlType.of(Kind.INT16, "tinyint unsigned"), null, 255)).isEqualTo(255);
        assertThat(decode(SqlType.of(Kind.INT32, "smallint unsigned"), null, 65535)).isEqualTo(65535);
        assertThat(decode(SqlType.of(Kind.INT32, "mediumint unsigned"), null, 16777215)).isEqualTo(16777215);
        assertThat(decode(SqlType.of(Kind.INT64, "int unsigned"), null, 4294967295L)).isEqualTo(4294967295L);
        assertThatThrownBy(() -> decode(SqlType.of(Kind.INT32, "int"), null, 4294967295L))
                .isInstanceOf(MappingException.class).hasMessage("column 'c': number is out of the range of int");
    }

    @Test
    void shouldReadDatetimeInMillisUpToThreeDigitsAndMicrosBeyond() {
        SqlType dt3 = new SqlType(Kind.TIMESTAMP, 3, 0, "datetime");
        SqlType dt6 = new SqlType(Kind.TIMESTAMP, 6, 0, "datetime");
        assertThat(decode(dt3, named(Schema.Type.LONG, "io.debezium.time.Timestamp"), 1_709_251_199_999L))
                .isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.999"));
        assertThat(decode(dt6, named(Schema.Type.LONG, "io.debezium.time.MicroTimestamp"), 1_709_251_199_999_999L))
                .isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.999999"));
        assertThat(decode(dt6, named(Schema.Type.LONG, "io.debezium.time.MicroTimestamp"), 253_402_300_799_999_999L))
                .isEqualTo(LocalDateTime.parse("9999-12-31T23:59:59.999999"));
        assertThat(decode(dt6, named(Schema.Type.LONG, "io.debezium.time.MicroTimestamp"), -30_610_224_000_000_000L))
                .isEqualTo(LocalDateTime.parse("1000-01-01T00:00:00"));
        // before 1677 a count of nanoseconds would overflow a long: read in the value's own unit
        assertThat(decode(dt3, named(Schema.Type.LONG, "io.debezium.time.Timestamp"), -30_610_224_000_000L))
                .isEqualTo(LocalDateTime.parse("1000-01-01T00:00:00"));
    }

    @Test
    void shouldReadTimestampAsTheInstantDebeziumGivesInUtc() {
        assertThat(decode(new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp"), named(Schema.Type.STRING, "io.debezium.time.ZonedTimestamp"),
                new Utf8("2038-01-19T03:14:07.999999Z"))).isEqualTo(Instant.parse("2038-01-19T03:14:07.999999Z"));
    }

    @Test
    void shouldReadATimeOfDayAndRefuseADurationBeyondIt() {
        SqlType time = new SqlType(Kind.TIME, 6, 0, "time");
        Schema micro = named(Schema.Type.LONG, "io.debezium.time.MicroTime");
        assertThat(decode(time, micro, 86_399_999_999L)).isEqualTo(LocalTime.parse("23:59:59.999999"));
        assertThatThrownBy(() -> decode(time, micro, 90_000_000_000L)).isInstanceOf(MappingException.class)
                .hasMessage("column 'c': a TIME outside 00:00:00 to 23:59:59.999999 (a duration, not a time of day) cannot be read as time");
        assertThatThrownBy(() -> decode(time, micro, -1L)).isInstanceOf(MappingException.class);
    }

    @Test
    void shouldReadDateDecimalJsonEnumUuidAndBlob() {
        assertThat(decode(SqlType.of(Kind.DATE, "date"), named(Schema.Type.INT, "io.debezium.time.Date"), 19782))
                .isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(decode(SqlType.decimal(65, 30, "decimal"), null,
                new Utf8("-99999999999999999999999999999999999.999999999999999999999999999999")))
                .isEqualTo(new BigDecimal("-99999999999999999999999999999999999.999999999999999999999999999999"));
        assertThat(decode(SqlType.of(Kind.JSON, "json"), null, new Utf8("{\"a\": [1]}"))).isEqualTo("{\"a\": [1]}");
        assertThat(decode(SqlType.of(Kind.STRING, "enum"), named(Schema.Type.STRING, "io.debezium.data.Enum"), new Utf8("green")))
                .isEqualTo("green");
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertThat(decode(SqlType.of(Kind.UUID, "uuid"), named(Schema.Type.STRING, "io.debezium.data.Uuid"), new Utf8(id.toString())))
                .isEqualTo(id);
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertThat((byte[]) decode(SqlType.of(Kind.BYTES, "blob"), null, ByteBuffer.wrap(all))).isEqualTo(all);
    }

    @Test
    void shouldReadSixteenBytesAsAUuidAndRefuseOtherLengths() {
        byte[] b = new byte[16];
        b[15] = 1;
        assertThat(decode(SqlType.of(Kind.UUID, "binary(16)"), null, ByteBuffer.wrap(b))).isEqualTo(new UUID(0, 1));
        assertThatThrownBy(() -> decode(SqlType.of(Kind.UUID, "binary(16)"), null, ByteBuffer.wrap(new byte[3])))
                .isInstanceOf(MappingException.class).hasMessage("column 'c': 3 bytes cannot be a UUID (16 needed)");
    }
}
