package io.dualsync.contract;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.TableSchema;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Avro form of the records on one mapped topic ({@code dualsync.mapped.<map>.<target>}).
 *
 * <p>Both schemas are derived from the target table as it is in the live catalog, so analysts
 * see the target's column names and types:
 * <ul>
 *   <li>key: a record of the target key columns, so all changes to one target row share a
 *       partition and stay in order;</li>
 *   <li>value: the envelope ({@code op}, {@code map}, {@code targetTable}, {@code sourceEndpoint},
 *       {@code sourcePosition}, {@code sourceTxId}, {@code sourceCommitTime}, {@code companyId}),
 *       the {@code key} record again, and {@code columns}: every mapped target column, nullable,
 *       null as a whole for a delete.</li>
 * </ul>
 * Column names that are not valid Avro names are sanitized; the real name is kept in the field
 * property {@value #COLUMN_PROPERTY}.
 */
public final class MappedChangeCodec {

    public static final String NAMESPACE = "io.dualsync.mapped";
    public static final String COLUMN_PROPERTY = "dualsync.column";

    private final Schema keySchema;
    private final Schema valueSchema;
    private final Map<String, SqlType> keyTypes;
    private final Map<String, SqlType> columnTypes;

    /**
     * @param map           the map name
     * @param target        the target table as in the live catalog
     * @param keyColumns    target key columns, in key order
     * @param mappedColumns every target column the map writes (key columns included), in order
     */
    public MappedChangeCodec(String map, TableSchema target, List<String> keyColumns, List<String> mappedColumns) {
        String recordBase = avroName(map + "_" + target.ref().endpoint());
        this.keyTypes = types(target, keyColumns);
        this.columnTypes = types(target, mappedColumns);
        this.keySchema = record(recordBase + "_key", keyTypes, false);
        Schema columns = record(recordBase + "_columns", columnTypes, true);
        this.valueSchema = SchemaBuilder.record(recordBase + "_change").namespace(NAMESPACE)
                .doc("A change to apply to " + target.ref() + " from dualsync map '" + map + "'")
                .fields()
                .name("op").type(SchemaBuilder.enumeration("Operation").namespace(NAMESPACE)
                        .symbols("UPSERT", "DELETE")).noDefault()
                .requiredString("map")
                .requiredString("targetTable")
                .requiredString("sourceEndpoint")
                .requiredLong("sourcePosition")
                .optionalString("sourceTxId")
                .name("sourceCommitTime").type(org.apache.avro.LogicalTypes.timestampMicros()
                        .addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
                .optionalString("companyId")
                .name("key").type(keySchema).noDefault()
                .name("columns").type(Schema.createUnion(Schema.create(Schema.Type.NULL), columns))
                .withDefault(null)
                .endRecord();
    }

    public Schema keySchema() {
        return keySchema;
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    /** The key record of a change: its target key. */
    public GenericRecord encodeKey(MappedChange change) {
        return fill(new GenericData.Record(keySchema), keyTypes, change.key());
    }

    public GenericRecord encodeValue(MappedChange change) {
        GenericRecord r = new GenericData.Record(valueSchema);
        r.put("op", new GenericData.EnumSymbol(valueSchema.getField("op").schema(), change.operation().name()));
        r.put("map", change.map());
        r.put("targetTable", change.targetTable());
        r.put("sourceEndpoint", change.sourceEndpoint());
        r.put("sourcePosition", change.sourcePosition());
        r.put("sourceTxId", change.sourceTxId());
        r.put("sourceCommitTime", ChronoUnit.MICROS.between(Instant.EPOCH, change.sourceCommitTime()));
        r.put("companyId", change.companyId());
        r.put("key", encodeKey(change));
        if (change.operation() == Operation.UPSERT) {
            Schema columns = valueSchema.getField("columns").schema().getTypes().get(1);
            r.put("columns", fill(new GenericData.Record(columns), columnTypes, change.columns()));
        }
        return r;
    }

    /**
     * Reads a value record written with this codec's schema (or a compatible writer schema whose
     * fields carry the same names).
     */
    public MappedChange decodeValue(GenericRecord r) {
        Operation op = Operation.valueOf(r.get("op").toString());
        GenericRecord columns = (GenericRecord) r.get("columns");
        return new MappedChange(op,
                r.get("map").toString(),
                r.get("targetTable").toString(),
                r.get("sourceEndpoint").toString(),
                (Long) r.get("sourcePosition"),
                r.get("sourceTxId") == null ? null : r.get("sourceTxId").toString(),
                Instant.EPOCH.plus((Long) r.get("sourceCommitTime"), ChronoUnit.MICROS),
                r.get("companyId") == null ? null : r.get("companyId").toString(),
                read((GenericRecord) r.get("key"), keyTypes),
                columns == null ? Map.of() : read(columns, columnTypes));
    }

    /** A valid Avro name for any text: other characters become {@code _}, a leading digit gets {@code _}. */
    public static String avroName(String text) {
        StringBuilder b = new StringBuilder(text.length() + 1);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (i == 0 && c >= '0' && c <= '9') {
                b.append('_');
                ok = true;
            }
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    private static Map<String, SqlType> types(TableSchema target, List<String> cols) {
        Map<String, SqlType> types = new LinkedHashMap<>();
        for (String c : cols) {
            Column column = target.requireColumn(c);
            types.put(c, column.type());
        }
        return types;
    }

    private Schema record(String name, Map<String, SqlType> types, boolean nullable) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Map.Entry<String, SqlType> e : types.entrySet()) {
            Schema type = ColumnValues.avroType(e.getValue());
            Schema.Field f = nullable
                    ? new Schema.Field(avroName(e.getKey()), Schema.createUnion(Schema.create(Schema.Type.NULL), type), null, JsonProperties.NULL_VALUE)
                    : new Schema.Field(avroName(e.getKey()), type, null, (Object) null);
            f.addProp(COLUMN_PROPERTY, e.getKey());
            fields.add(f);
        }
        return Schema.createRecord(name, null, NAMESPACE, false, fields);
    }

    private static GenericRecord fill(GenericRecord r, Map<String, SqlType> types, Map<String, Object> values) {
        for (Map.Entry<String, SqlType> e : types.entrySet()) {
            r.put(avroName(e.getKey()), ColumnValues.toAvro(e.getValue(), values.get(e.getKey())));
        }
        return r;
    }

    private static Map<String, Object> read(GenericRecord r, Map<String, SqlType> types) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, SqlType> e : types.entrySet()) {
            try {
                values.put(e.getKey(), ColumnValues.fromAvro(e.getValue(), r.get(avroName(e.getKey()))));
            } catch (IllegalArgumentException invalid) {
                // name the column: the reason alone does not say where to look (it never quotes the value)
                throw new IllegalArgumentException("column '" + e.getKey() + "': " + invalid.getMessage(), invalid);
            }
        }
        return values;
    }
}
