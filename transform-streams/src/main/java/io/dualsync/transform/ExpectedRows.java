package io.dualsync.transform;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.KeyField;
import io.dualsync.config.RowFilter;
import io.dualsync.config.Side;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one direction of a table map expects on its target side for a source row, by the very
 * rules the topology applies to change events ({@link Scope}, {@link RowMapper},
 * {@link TypeConverter}): whether the row is in scope, and the target key and mapped columns it
 * maps to, canonical values in target types, columns in the order of
 * {@link io.dualsync.contract.MappedColumns} — so {@code CanonicalText.rowHash(image.columns())}
 * equals the image hash apply stores for the row. For reconciliation ({@code dualsync verify}),
 * which reads source rows with JDBC instead of from a raw topic; source values must be the
 * canonical values of the source columns' types (see {@code ColumnValues}).
 */
public final class ExpectedRows {

    /** A mapped row: target key columns (map key order) and every mapped target column (table order). */
    public record Image(Map<String, Object> key, Map<String, Object> columns) {
    }

    private final Scope scope;
    private final RowMapper rows;
    private final List<String> sourceColumns;

    private ExpectedRows(Scope scope, RowMapper rows, List<String> sourceColumns) {
        this.scope = scope;
        this.rows = rows;
        this.sourceColumns = sourceColumns;
    }

    /**
     * The direction of {@code map} from side {@code from}.
     *
     * @throws IllegalArgumentException when the map does not flow from that side or does not fit the catalog
     */
    public static ExpectedRows of(SyncConfig config, Catalog catalog, TableMap map, Side from) {
        if (!map.direction().flowsFrom(from)) {
            throw new IllegalArgumentException("map '" + map.name() + "' does not flow from side " + from.label());
        }
        Flow flow = new Flow(map, from);
        TableSchema source = catalog.require(flow.sourceTable());
        TableSchema target = catalog.require(flow.targetTable());
        TypeConverter converter = new TypeConverter(MappingTopology.zone(config, flow.sourceTable().endpoint()),
                MappingTopology.zone(config, flow.targetTable().endpoint()));
        RowMapper rows = RowMapper.of(map, from, source, target, converter);
        Set<String> read = new LinkedHashSet<>(rows.sourceColumns());
        map.key().stream().map(k -> k.column(from)).forEach(read::add);
        read.addAll(scopeColumns(map, from));
        List<String> inTableOrder = source.columns().stream().map(Column::name).filter(read::contains).toList();
        return new ExpectedRows(Scope.of(flow), rows, inTableOrder);
    }

    /** The source columns a row needs for {@link #inScope} and {@link #map}: mapped, key, filter and company columns, in table order. */
    public List<String> sourceColumns() {
        return sourceColumns;
    }

    /** Whether the pipeline propagates this source row: the source side's filter and company include-list hold. */
    public boolean inScope(Map<String, Object> sourceRow) {
        return scope.includes(sourceRow);
    }

    /**
     * The target row the pipeline writes for this source row.
     *
     * @throws MappingException when the pipeline could not map it either (it would dead-letter the change);
     *                          the message names the column, never the value
     */
    public Image map(Map<String, Object> sourceRow) {
        RowMapper.TargetRow row = rows.map(sourceRow);
        return new Image(row.key(), row.columns());
    }

    /**
     * Whether a row of side {@code side} is in that side's own scope (its filter and company
     * include-list), as a flow from that side would decide.
     */
    public static Predicate<Map<String, Object>> scopeOf(TableMap map, Side side) {
        Scope scope = new Scope(map.filter(side), map.companies().column(side), map.companies().include());
        return scope::includes;
    }

    /** The columns of side {@code side} that {@link #scopeOf} reads: filter and company columns. */
    public static Set<String> scopeColumns(TableMap map, Side side) {
        Set<String> columns = new LinkedHashSet<>();
        RowFilter filter = map.filter(side);
        filter.conditions().stream().filter(c -> c.via() == null).forEach(c -> columns.add(c.column()));
        columns.addAll(filter.referenceFields());
        map.companies().column(side).ifPresent(columns::add);
        return columns;
    }

    /** The map's key columns on {@code side}, in key order. */
    public static List<String> keyColumns(TableMap map, Side side) {
        return map.key().stream().map((KeyField k) -> k.column(side)).toList();
    }
}
