package io.dualsync.apply.dlt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.dualsync.config.RegistrySettings;
import io.dualsync.contract.CanonicalText;
import io.dualsync.contract.MappedChangeCodec;
import io.dualsync.contract.RegistrySerdeSettings;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a dead letter's key and value for {@code dualsync dlt show}: the Avro bytes (Confluent
 * wire format) are read with the writer schema fetched from the registry, and rendered as JSON in
 * canonical text ({@link CanonicalText}: decimals with every digit, times ISO-8601, bytes Base64),
 * columns under their real names ({@link MappedChangeCodec#COLUMN_PROPERTY}). Works for apply's
 * mapped records and transform's raw Debezium records alike. The result holds row values: it is
 * printed for the operator who asked, never logged.
 */
public final class DeadLetterDecoder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private final AvroKafkaDeserializer<GenericRecord> keys = new AvroKafkaDeserializer<>();
    private final AvroKafkaDeserializer<GenericRecord> values = new AvroKafkaDeserializer<>();

    public DeadLetterDecoder(RegistrySettings registry) {
        keys.configure(RegistrySerdeSettings.of(registry), true);
        values.configure(RegistrySerdeSettings.of(registry), false);
    }

    /** The key as JSON; a note instead when it cannot be decoded. */
    public String key(DeadLetterRecord r) {
        return decode(keys, r, r.key());
    }

    /** The value as JSON; a note instead when it cannot be decoded. */
    public String value(DeadLetterRecord r) {
        return decode(values, r, r.value());
    }

    private static String decode(AvroKafkaDeserializer<GenericRecord> deserializer, DeadLetterRecord r, byte[] bytes) {
        if (bytes == null) {
            return "(none)";
        }
        try {
            String topic = r.originalTopic() == null ? r.topic() : r.originalTopic();
            Object datum = deserializer.deserialize(topic, new RecordHeaders(), bytes);
            return json(datum instanceof GenericRecord g ? render(g.getSchema(), g) : datum);
        } catch (RuntimeException e) {
            // the registry may be down, or the bytes not Avro at all (that may be why it failed)
            return "(" + bytes.length + " bytes that cannot be decoded: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        }
    }

    /** The datum as plain maps, lists and canonical texts. */
    static Object render(Schema schema, Object datum) {
        if (datum == null) {
            return null;
        }
        switch (schema.getType()) {
            case UNION:
                return render(schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)), datum);
            case RECORD: {
                GenericRecord record = (GenericRecord) datum;
                Map<String, Object> fields = new LinkedHashMap<>();
                for (Schema.Field f : schema.getFields()) {
                    String name = f.getProp(MappedChangeCodec.COLUMN_PROPERTY) != null ? f.getProp(MappedChangeCodec.COLUMN_PROPERTY) : f.name();
                    fields.put(name, render(f.schema(), record.get(f.pos())));
                }
                return fields;
            }
            case ARRAY: {
                List<Object> items = new ArrayList<>();
                for (Object item : (Iterable<?>) datum) {
                    items.add(render(schema.getElementType(), item));
                }
                return items;
            }
            case MAP: {
                Map<String, Object> entries = new LinkedHashMap<>();
                ((Map<?, ?>) datum).forEach((k, v) -> entries.put(k.toString(), render(schema.getValueType(), v)));
                return entries;
            }
            default: {
                Object value = logical(schema, datum);
                // numbers and booleans stay JSON numbers and booleans; decimals are text so no digit is lost
                return value instanceof Boolean || (value instanceof Number && !(value instanceof java.math.BigDecimal))
                        ? value : CanonicalText.format(value);
            }
        }
    }

    /** A leaf datum as its canonical Java value, by its logical type. */
    private static Object logical(Schema schema, Object datum) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal && datum instanceof ByteBuffer b) {
            return DECIMALS.fromBytes(b.duplicate(), schema, logical);
        }
        if (logical instanceof LogicalTypes.Date && datum instanceof Number n) {
            return LocalDate.ofEpochDay(n.longValue());
        }
        if (logical instanceof LogicalTypes.TimeMicros && datum instanceof Number n) {
            return LocalTime.ofNanoOfDay(n.longValue() * 1_000L);
        }
        if (logical instanceof LogicalTypes.TimeMillis && datum instanceof Number n) {
            return LocalTime.ofNanoOfDay(n.longValue() * 1_000_000L);
        }
        if (logical instanceof LogicalTypes.TimestampMicros && datum instanceof Number n) {
            return Instant.EPOCH.plus(n.longValue(), ChronoUnit.MICROS);
        }
        if (logical instanceof LogicalTypes.TimestampMillis && datum instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (logical instanceof LogicalTypes.LocalTimestampMicros && datum instanceof Number n) {
            return LocalDateTime.ofInstant(Instant.EPOCH.plus(n.longValue(), ChronoUnit.MICROS), ZoneOffset.UTC);
        }
        if (datum instanceof ByteBuffer b) {
            byte[] out = new byte[b.remaining()];
            b.duplicate().get(out);
            return out;
        }
        if (datum instanceof GenericData.Fixed f) {
            return f.bytes();
        }
        if (datum instanceof Boolean || datum instanceof Number) {
            return datum;
        }
        return datum.toString();
    }

    private static String json(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps and strings always serialize", e);
        }
    }

    @Override
    public void close() {
        keys.close();
        values.close();
    }
}
