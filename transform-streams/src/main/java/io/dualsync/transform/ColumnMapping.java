package io.dualsync.transform;

import io.dualsync.contract.CanonicalText;

import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.FieldMap;
import io.dualsync.config.FieldTransform;
import io.dualsync.config.Reference;
import io.dualsync.config.Side;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How one target column's value is computed from a source row, for one direction of a field
 * map: take the source column's canonical value; strip the prefix the opposite direction adds
 * (so a bidirectional map round-trips); apply the value map (inverted when travelling B to A);
 * apply the transform toward the target (constant, default for null, prefix); convert to the
 * target column's type. Text operations work on {@link CanonicalText}; failures name the target
 * column, never the value.
 */
final class ColumnMapping {

    private final String targetColumn;
    private final SqlType targetType;
    private final Optional<String> sourceColumn;
    private final Optional<String> prefixToStrip;
    private final Map<String, String> values;
    private final FieldTransform toward;
    private final TypeConverter converter;
    /** A reference field's translation, from {@link #from}; empty for a plain field. */
    private final Optional<Reference> ref;
    private final Side from;

    private ColumnMapping(String targetColumn, SqlType targetType, Optional<String> sourceColumn,
                          Optional<String> prefixToStrip, Map<String, String> values, FieldTransform toward,
                          TypeConverter converter, Optional<Reference> ref, Side from) {
        this.ref = ref;
        this.from = from;
        this.targetColumn = targetColumn;
        this.targetType = targetType;
        this.sourceColumn = sourceColumn;
        this.prefixToStrip = prefixToStrip;
        this.values = values;
        this.toward = toward;
        this.converter = converter;
    }

    /** The field map's direction from {@code from}; the field must name a column on the target side. */
    static ColumnMapping of(String mapName, FieldMap field, Side from, TableSchema source, TableSchema target,
                            TypeConverter converter) {
        Side to = from.other();
        String targetColumn = field.column(to).orElseThrow();
        Optional<String> sourceColumn = field.column(from);
        sourceColumn.ifPresent(source::requireColumn);
        return new ColumnMapping(targetColumn, target.requireColumn(targetColumn).type(), sourceColumn,
                field.toward(from).prefix(), valuesToward(mapName, field, to), field.toward(to), converter, field.ref(), from);
    }

    /** A key column with no field map of its own: the value travels as it is, converted to the target type. */
    static ColumnMapping plain(String sourceColumn, String targetColumn, TableSchema source, TableSchema target,
                               TypeConverter converter) {
        source.requireColumn(sourceColumn);
        return new ColumnMapping(targetColumn, target.requireColumn(targetColumn).type(), Optional.of(sourceColumn),
                Optional.empty(), Map.of(), FieldTransform.NONE, converter, Optional.empty(), null);
    }

    String targetColumn() {
        return targetColumn;
    }

    Optional<String> sourceColumn() {
        return sourceColumn;
    }

    /** Whether this column is a reference, translated through another map's couplings. */
    boolean isReference() {
        return ref.isPresent();
    }

    /**
     * The target column's canonical value for this source row image.
     *
     * @param couplings where a reference is translated
     * @throws MappingException when a step cannot be applied exactly
     * @throws ParentNotSynced  when a reference cannot be translated (yet)
     */
    Object valueFor(Map<String, Object> sourceRow, Couplings couplings) {
        Object value = null;
        if (sourceColumn.isPresent()) {
            if (!sourceRow.containsKey(sourceColumn.get())) {
                throw MappingException.column(sourceColumn.get(), "the change event carries no value for this source column");
            }
            value = sourceRow.get(sourceColumn.get());
        }
        if (ref.isPresent()) {
            return value == null ? null : translate(value, couplings);
        }
        value = stripPrefix(value);
        value = mapValue(value);
        value = transform(value);
        return converter.convert(value, targetType, targetColumn);
    }

    /** A reference has no value map or transform of its own (the config refuses them): only its translation. */
    private Object translate(Object value, Couplings couplings) {
        String translated = couplings.translate(ref.get(), from, CanonicalText.format(value), targetColumn);
        if (translated == null) {
            return null;
        }
        try {
            return converter.convert(CanonicalText.parse(translated, targetType), targetType, targetColumn);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            // the parent's identifier does not fit this column's type; the message may quote the value
            throw MappingException.column(targetColumn, "the referenced parent's identifier does not read as "
                    + targetType.nativeName());
        }
    }

    private Object stripPrefix(Object value) {
        if (value == null || prefixToStrip.isEmpty()) {
            return value;
        }
        String text = CanonicalText.format(value);
        if (!text.startsWith(prefixToStrip.get())) {
            // passing it on unchanged would not round-trip: the other direction would add the prefix again
            throw MappingException.column(targetColumn, "value does not start with the prefix '" + prefixToStrip.get()
                    + "' that the map adds on the other side, so it cannot be mapped back");
        }
        return text.substring(prefixToStrip.get().length());
    }

    private Object mapValue(Object value) {
        if (value == null || values.isEmpty()) {
            return value;
        }
        String mapped = values.get(CanonicalText.format(value));
        if (mapped == null) {
            throw MappingException.column(targetColumn, "value is not in the field's value map");
        }
        return mapped;
    }

    private Object transform(Object value) {
        if (toward.constant().isPresent()) {
            return toward.constant().get();
        }
        Object result = value == null ? toward.defaultValue().orElse(null) : value;
        if (result != null && toward.prefix().isPresent()) {
            return toward.prefix().get() + CanonicalText.format(result);
        }
        return result;
    }

    /** The value map as it applies toward {@code to}: as written going A to B, inverted going B to A. */
    private static Map<String, String> valuesToward(String mapName, FieldMap field, Side to) {
        if (to == Side.B) {
            return field.values();
        }
        Map<String, String> inverse = new HashMap<>();
        field.values().forEach((a, b) -> {
            if (inverse.put(b, a) != null) {
                throw new IllegalArgumentException("map '" + mapName + "': the value map of column '"
                        + field.b().orElse("?") + "' maps two values of a to one value of b, so changes from b "
                        + "cannot be mapped back to a");
            }
        });
        return Map.copyOf(inverse);
    }
}
