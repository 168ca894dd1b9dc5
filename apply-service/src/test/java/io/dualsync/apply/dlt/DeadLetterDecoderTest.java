package io.dualsync.apply.dlt;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.TableRef;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.MappedChangeCodec;
import io.dualsync.contract.Operation;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterDecoderTest {

    @Test
    void shouldRenderAMappedChangeInCanonicalTextUnderTheRealColumnNames() {
        TableSchema table = schema();
        MappedChangeCodec codec = new MappedChangeCodec("customers", table, List.of("no"), List.of("no", "full name", "credit_limit", "seen_at"));
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("no", "C-1");
        columns.put("full name", "Zoë");
        columns.put("credit_limit", new BigDecimal("12.3400000000"));
        columns.put("seen_at", Instant.parse("2024-02-29T23:59:59.999999Z"));
        GenericRecord value = codec.encodeValue(new MappedChange(Operation.UPSERT, "customers", "public.customer", "crm", 42L,
                "tx", Instant.parse("2024-03-01T00:00:00Z"), null, Map.of("no", "C-1"), columns));

        @SuppressWarnings("unchecked")
        Map<String, Object> rendered = (Map<String, Object>) DeadLetterDecoder.render(value.getSchema(), value);

        assertThat(rendered).containsEntry("op", "UPSERT").containsEntry("sourcePosition", 42L)
                .containsEntry("sourceCommitTime", "2024-03-01T00:00:00Z");
        @SuppressWarnings("unchecked")
        Map<String, Object> renderedColumns = (Map<String, Object>) rendered.get("columns");
        assertThat(renderedColumns)
                .containsEntry("full name", "Zoë")
                .containsEntry("credit_limit", "12.3400000000")
                .containsEntry("seen_at", "2024-02-29T23:59:59.999999Z");
    }

    private static TableSchema schema() {
        return new TableSchema(new TableRef("erp", "public", "customer"), List.of(
                new Column("no", new SqlType(SqlType.Kind.STRING, 0, 0, "text"), false),
                new Column("full name", new SqlType(SqlType.Kind.STRING, 0, 0, "text"), true),
                new Column("credit_limit", new SqlType(SqlType.Kind.DECIMAL, 38, 10, "numeric"), true),
                new Column("seen_at", new SqlType(SqlType.Kind.TIMESTAMPTZ, 0, 6, "timestamptz"), true)),
                List.of("no"), List.of());
    }
}
