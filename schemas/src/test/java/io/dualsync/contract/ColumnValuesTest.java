package io.dualsync.contract;

import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Text from Avro arrives exactly as sent, or is refused: never with U+FFFD in place of bad bytes. */
class ColumnValuesTest {

    private static final SqlType TEXT = SqlType.of(Kind.STRING, "text");

    @Test
    void shouldRefuseAnEncodedLoneSurrogateThatAvroWouldReplaceSilently() {
        // "a", U+D800 encoded CESU-8 style, "b": what a non-Java producer may put on a topic
        Utf8 cesu = new Utf8(new byte[]{'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b'});
        assertThat(cesu.toString()).as("Avro's own decoding").contains("\uFFFD");

        assertThatThrownBy(() -> ColumnValues.fromAvro(TEXT, cesu))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void shouldRefuseTruncatedUtf8() {
        byte[] truncated = {'a', (byte) 0xC3};   // the first byte of "ü" only
        assertThatThrownBy(() -> ColumnValues.fromAvro(TEXT, new Utf8(truncated)))
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void shouldRefuseAJavaStringWithALoneSurrogate() {
        assertThatThrownBy(() -> ColumnValues.fromAvro(TEXT, "a\uD800b"))
                .hasMessageContaining("lone surrogate").hasMessageContaining("index 1");
        assertThatThrownBy(() -> ColumnValues.fromAvro(TEXT, "ab\uDC00"))
                .hasMessageContaining("lone surrogate");
    }

    @Test
    void shouldKeepEveryCharacterOfValidText() {
        String text = "Grüße, 東京 😀 \uFFFD";   // a real U+FFFD sent by the source is text like any other
        assertThat(ColumnValues.fromAvro(TEXT, new Utf8(text.getBytes(StandardCharsets.UTF_8)))).isEqualTo(text);
        assertThat(ColumnValues.fromAvro(TEXT, text)).isEqualTo(text);
        assertThat(ColumnValues.fromAvro(SqlType.of(Kind.JSON, "jsonb"), new Utf8("{\"a\":\"😀\"}"))).isEqualTo("{\"a\":\"😀\"}");
    }
}
