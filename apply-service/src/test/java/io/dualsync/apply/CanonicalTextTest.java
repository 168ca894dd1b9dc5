package io.dualsync.apply;

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
                .isEqualTo("[\"C-1\",\"7\",\"1000\",\"00ff\"]");
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
}
