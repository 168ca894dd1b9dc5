package io.dualsync.transform;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LinkSerdeTest {

    private final LinkSerde serde = new LinkSerde();

    @Test
    void shouldReadBackALinkWithItsKeyColumnsInOrder() {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("region", "EU");
        key.put("no", "C-1001");
        Link link = new Link(key, "ab12");

        byte[] bytes = serde.serializer().serialize("changelog", link);
        Link read = serde.deserializer().deserialize("changelog", bytes);

        assertThat(read).isEqualTo(link);
        assertThat(read.targetKey().keySet()).containsExactly("region", "no");
    }

    @Test
    void shouldStoreLinksAsReadableJson() {
        byte[] bytes = serde.serializer().serialize("changelog", new Link(Map.of("no", "C-1001"), "ab12"));

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"key\":{\"no\":\"C-1001\"},\"hash\":\"ab12\"}");
    }

    @Test
    void shouldKeepTheOutOfScopeMarkAndReadLinksWrittenWithoutIt() {
        Link out = new Link(Map.of("no", "C-1001"), "ab12", "[\"C-1001\"]").leftScope();

        byte[] bytes = serde.serializer().serialize("changelog", out);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).endsWith(",\"out\":true}");
        assertThat(serde.deserializer().deserialize("changelog", bytes)).isEqualTo(out);
        Link older = serde.deserializer().deserialize("changelog",
                "{\"key\":{\"no\":\"C-1001\"},\"hash\":\"ab12\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(older.outOfScope()).isFalse();
    }
}
