package io.dualsync.transform;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaIdCachingSerializerTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Row").fields()
            .requiredLong("id").optionalString("name").requiredString("amount").endRecord();

    private final AtomicInteger registryCalls = new AtomicInteger();
    private final Serializer<GenericRecord> wireFormat = new InMemoryAvroSerdes().serializer();
    private final Serializer<GenericRecord> registry = (topic, record) -> {
        registryCalls.incrementAndGet();
        return wireFormat.serialize(topic, record);
    };

    private static GenericRecord row(long id, String name) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", id);
        r.put("name", name);
        r.put("amount", "12.3400");
        return r;
    }

    @Test
    void shouldWriteTheSameBytesAsTheRegistrySerializerAskingItOncePerTopicAndSchema() {
        SchemaIdCachingSerializer serializer = new SchemaIdCachingSerializer(registry);

        for (int i = 0; i < 100; i++) {
            GenericRecord r = row(i, i % 3 == 0 ? null : "name " + i + " \u00e9\u6771");
            assertThat(serializer.serialize("mapped.a", r)).isEqualTo(wireFormat.serialize("mapped.a", r));
        }
        serializer.serialize("mapped.b", row(1, "x"));

        assertThat(registryCalls).hasValue(2);
    }

    @Test
    void shouldKeepUsingTheRegistrySerializerWhenItsOutputIsNotPlainAvroBehindTheHeader() {
        Serializer<GenericRecord> different = (topic, record) -> {
            registryCalls.incrementAndGet();
            return new byte[] {0, 0, 0, 0, 7, 42, 42};
        };
        SchemaIdCachingSerializer serializer = new SchemaIdCachingSerializer(different);

        serializer.serialize("mapped.a", row(1, "a"));
        byte[] second = serializer.serialize("mapped.a", row(2, "b"));

        assertThat(second).containsExactly(0, 0, 0, 0, 7, 42, 42);
        assertThat(registryCalls).hasValue(2);
    }

    @Test
    void shouldPassNullThrough() {
        assertThat(new SchemaIdCachingSerializer(registry).serialize("mapped.a", null)).isNull();
    }
}
