package io.dualsync.contract;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.TableRef;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A mapped record another producer wrote with bytes that are not text is refused, naming the column. */
class MappedChangeCodecTest {

    @Test
    void shouldNameTheColumnWhoseTextIsNotValidUtf8() {
        TableSchema table = new TableSchema(new TableRef("erp", "public", "article"),
                List.of(new Column("id", SqlType.of(Kind.INT32, "int4"), false), new Column("label", SqlType.of(Kind.STRING, "text"), true)),
                List.of("id"), List.of());
        MappedChangeCodec codec = new MappedChangeCodec("articles", table, List.of("id"), List.of("id", "label"));
        GenericRecord value = codec.encodeValue(new MappedChange(Operation.UPSERT, "articles", "public.article", "crm", 1L,
                null, Instant.EPOCH, null, Map.of("id", 1), Map.of("id", 1, "label", "ok")));
        ((GenericRecord) value.get("columns")).put("label", new Utf8(new byte[]{'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}));

        assertThatThrownBy(() -> codec.decodeValue(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("column 'label': the text is not valid UTF-8");
    }
}
