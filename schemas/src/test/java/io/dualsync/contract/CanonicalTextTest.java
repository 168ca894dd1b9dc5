package io.dualsync.contract;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalTextTest {

    @Test
    void shouldWriteARowKeyAsAJsonArrayOfCanonicalText() {
        assertThat(CanonicalText.rowKey(List.of("C-1", 7, new BigDecimal("1E+3"), new byte[]{0, (byte) 0xff})))
                .isEqualTo("[\"C-1\",\"7\",\"1000\",\"AP8=\"]");
        assertThat(CanonicalText.rowKey(Arrays.asList("he said \"hi\"", null))).isEqualTo("[\"he said \\\"hi\\\"\",null]");
    }

    @Test
    void shouldHashEqualImagesEquallyAndDifferentImagesDifferently() {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("no", "C-1");
        image.put("at", Instant.parse("2024-01-01T00:00:00Z"));
        Map<String, Object> same = new LinkedHashMap<>(image);
        Map<String, Object> other = new LinkedHashMap<>(image);
        other.put("at", Instant.parse("2024-01-01T00:00:00.000001Z"));

        assertThat(CanonicalText.rowHash(image)).isEqualTo(CanonicalText.rowHash(same)).hasSize(64)
                .isNotEqualTo(CanonicalText.rowHash(other));
    }

    @Test
    void shouldTellANullFromTheTextNull() {
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("c", null);

        assertThat(CanonicalText.rowHash(withNull)).isNotEqualTo(CanonicalText.rowHash(Map.of("c", "null")));
    }

    @Test
    void shouldReadBackEveryKindExactlyAsWritten() {
        Map<io.dualsync.catalog.SqlType.Kind, Object> samples = Map.of(
                io.dualsync.catalog.SqlType.Kind.DECIMAL, new BigDecimal("-0.0000000001"),
                io.dualsync.catalog.SqlType.Kind.TIMESTAMPTZ, Instant.parse("2024-02-29T23:59:59.999999Z"),
                io.dualsync.catalog.SqlType.Kind.STRING, "Zoë 😀",
                io.dualsync.catalog.SqlType.Kind.INT64, Long.MIN_VALUE);
        samples.forEach((kind, value) -> assertThat(
                CanonicalText.parse(CanonicalText.format(value), io.dualsync.catalog.SqlType.of(kind, kind.name())))
                .isEqualTo(value));
        byte[] bytes = {0, 1, (byte) 0xff};
        assertThat((byte[]) CanonicalText.parse(CanonicalText.format(bytes),
                io.dualsync.catalog.SqlType.of(io.dualsync.catalog.SqlType.Kind.BYTES, "bytea"))).isEqualTo(bytes);
    }
}
