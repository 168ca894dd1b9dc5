package io.dualsync.catalog;

import io.dualsync.config.EndpointKind;
import io.dualsync.config.FieldMap;
import io.dualsync.config.Side;
import io.dualsync.config.Spelling;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;
import io.dualsync.contract.InsertValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a configuration against the live tables before anything runs, and reports every
 * mismatch at once: a missing table or column (with similar column names), target key columns
 * that are not a primary key or unique index on the target side (an idempotent upsert needs one),
 * field types that cannot be converted in a direction the map flows (see {@link TypeCompatibility}),
 * a prefix on a non-text target, a soft-delete column that is not boolean or a timestamp, and an
 * {@code onInsert} value its column cannot hold ({@link InsertValues}).
 */
public final class CatalogValidator {

    private CatalogValidator() {
    }

    /** Every problem found; empty when the configuration fits the catalog. */
    public static List<CatalogProblem> check(SyncConfig config, Catalog catalog) {
        return check(config, catalog, Set.of());
    }

    /** Throws a {@link CatalogException} listing every problem, if there is any. */
    public static void requireValid(SyncConfig config, Catalog catalog) {
        List<CatalogProblem> problems = check(config, catalog);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
    }

    /** @param alreadyReported {@code table.column} names whose absence was already explained (unsupported types) */
    static List<CatalogProblem> check(SyncConfig config, Catalog catalog, Set<String> alreadyReported) {
        return check(config, catalog, alreadyReported, Set.of());
    }

    /**
     * @param unreadableEndpoints endpoints whose tables could not be read (already reported): their
     *                            maps are skipped, since their tables are missing only from the catalog
     */
    static List<CatalogProblem> check(SyncConfig config, Catalog catalog, Set<String> alreadyReported,
                                      Set<String> unreadableEndpoints) {
        List<CatalogProblem> problems = new ArrayList<>();
        for (TableMap map : config.maps()) {
            if (unreadableEndpoints.contains(map.table(Side.A).endpoint()) || unreadableEndpoints.contains(map.table(Side.B).endpoint())) {
                continue;
            }
            new MapCheck(config, map, catalog, alreadyReported, problems).run();
        }
        return problems;
    }

    /** The columns a map names on one side, each with what it is used for, in config order. */
    static Map<String, String> namedColumns(TableMap map, Side side) {
        Map<String, String> columns = new LinkedHashMap<>();
        map.key().forEach(k -> columns.putIfAbsent(k.column(side), "key column"));
        map.fields().forEach(f -> f.column(side).ifPresent(c -> columns.putIfAbsent(c, "field column")));
        map.filter(side).conditions().stream().filter(c -> c.via() == null)
                .forEach(c -> columns.putIfAbsent(c.column(), "filter column"));
        map.companies().column(side).ifPresent(c -> columns.putIfAbsent(c, "company column"));
        map.changedAt().column(side).ifPresent(c -> columns.putIfAbsent(c, "changed-at column"));
        if (map.direction().flowsFrom(side.other())) {
            map.deletes().softDeleteColumn().ifPresent(c -> columns.putIfAbsent(c, "soft-delete column"));
            map.onInsert().values(side).keySet().forEach(c -> columns.putIfAbsent(c, "onInsert column"));
        }
        return columns;
    }

    private record MapCheck(SyncConfig config, TableMap map, Catalog catalog, Set<String> alreadyReported, List<CatalogProblem> problems) {

        void run() {
            Map<Side, TableSchema> tables = new LinkedHashMap<>();
            for (Side side : Side.values()) {
                TableRef ref = map.table(side);
                Optional<TableSchema> table = catalog.table(ref);
                if (table.isEmpty()) {
                    add(side, null, "table " + ref.qualifiedName() + " does not exist on endpoint " + ref.endpoint(),
                            "create the table, or correct " + side.label() + ": in the map (names are case-sensitive)");
                } else {
                    tables.put(side, table.get());
                    columnsExist(side, table.get());
                    changedAtIsATime(side, table.get());
                }
                referencedColumnsExist(side);
            }
            for (Side target : Side.values()) {
                Side source = target.other();
                TableSchema targetTable = tables.get(target);
                if (!map.direction().flowsFrom(source) || targetTable == null) {
                    continue;
                }
                keyIsUnique(target, targetTable);
                noOtherUniqueIndex(target, targetTable);
                softDeleteColumn(target, targetTable);
                insertValues(target, targetTable);
                TableSchema sourceTable = tables.get(source);
                for (FieldMap field : map.fields()) {
                    if (field.ref().isPresent()) {
                        continue; // the value written is the parent's identifier on the target side, not the source column's
                    }
                    fieldTypes(field, source, sourceTable, target, targetTable);
                }
            }
        }

        private void columnsExist(Side side, TableSchema table) {
            Set<String> names = table.columnsByName().keySet();
            namedColumns(map, side).forEach((column, use) -> {
                if (!names.contains(column) && !alreadyReported.contains(table.ref() + "." + column)) {
                    List<String> similar = Spelling.similar(column, names, 3);
                    add(side, column, use + " '" + column + "' does not exist in " + table.ref().qualifiedName()
                                    + (similar.isEmpty() ? "" : "; similar columns: " + String.join(", ", similar)),
                            "correct the column name in the map, or add the column to the table");
                }
            });
        }

        /** A reference's column on each side must be a column of the referenced map's table on that side. */
        private void referencedColumnsExist(Side side) {
            for (FieldMap field : map.fields()) {
                field.ref().ifPresent(ref -> config.map(ref.map()).flatMap(parent -> catalog.table(parent.table(side)))
                        .ifPresent(parentTable -> {
                            String column = ref.column(side);
                            if (parentTable.column(column).isEmpty()) {
                                List<String> similar = Spelling.similar(column, parentTable.columnsByName().keySet(), 3);
                                add(side, column, "referenced column '" + column + "' does not exist in "
                                                + parentTable.ref().qualifiedName() + " (side " + side.label() + " of map '"
                                                + ref.map() + "')" + (similar.isEmpty() ? "" : "; similar columns: " + String.join(", ", similar)),
                                        "correct ref." + side.label() + " in the field, or name another column");
                            }
                            for (var condition : map.filter(side).onParentOf(field.column(side).orElse("")).conditions()) {
                                if (parentTable.column(condition.column()).isEmpty()) {
                                    add(side, condition.column(), "filter column '" + condition.written() + "': the parent table "
                                                    + parentTable.ref().qualifiedName() + " has no column '" + condition.column() + "'",
                                            "test a column of the parent's table");
                                }
                            }
                        }));
            }
        }

        /** {@code resync --since} compares the changed-at column with a point in time. */
        private void changedAtIsATime(Side side, TableSchema table) {
            map.changedAt().column(side).flatMap(table::column).ifPresent(column -> {
                SqlType.Kind kind = column.type().kind();
                if (kind != SqlType.Kind.DATE && kind != SqlType.Kind.TIMESTAMP && kind != SqlType.Kind.TIMESTAMPTZ) {
                    add(side, column.name(), "changed-at column '" + column.name() + "' is " + column.type().nativeName()
                                    + ", not a date or timestamp", "name a date or timestamp column under changedAt");
                }
            });
        }

        private void keyIsUnique(Side target, TableSchema table) {
            List<String> key = map.key().stream().map(k -> k.column(target)).toList();
            if (!key.stream().allMatch(c -> table.column(c).isPresent()) || table.isUniqueKey(key)) {
                return;
            }
            String unique = table.uniqueKeys().isEmpty() ? "none"
                    : table.uniqueKeys().stream().map(CatalogValidator::list).collect(Collectors.joining(", "));
            add(target, null, "key columns " + list(key) + " are not the primary key or a unique index of "
                            + table.ref().qualifiedName() + " (primary key: " + (table.primaryKey().isEmpty() ? "none" : list(table.primaryKey()))
                            + "; unique indexes: " + unique + "), so changes cannot be applied idempotently",
                    "create a unique index on " + list(key) + ", or key the map on the table's primary key");
        }

        /**
         * MariaDB's {@code INSERT ... ON DUPLICATE KEY UPDATE} updates the row that collides on ANY
         * unique index, not only the map's key (MariaDB docs, "INSERT ON DUPLICATE KEY UPDATE"): a
         * change could silently update a different row than the one its key names. So on a MariaDB
         * target the map's key must be the table's only unique index (primary key included).
         */
        private void noOtherUniqueIndex(Side target, TableSchema table) {
            if (config.endpoint(table.ref().endpoint()).kind() != EndpointKind.MARIADB) {
                return;
            }
            Set<String> key = map.key().stream().map(k -> k.column(target)).collect(Collectors.toSet());
            List<List<String>> indexes = new ArrayList<>();
            if (!table.primaryKey().isEmpty()) {
                indexes.add(table.primaryKey());
            }
            indexes.addAll(table.uniqueKeys());
            for (List<String> index : indexes) {
                if (Set.copyOf(index).equals(key)) {
                    continue;
                }
                String which = index == table.primaryKey() ? "the primary key " + list(index) : "unique index " + list(index);
                add(target, null, table.ref().qualifiedName() + " has " + which + " besides the map's key "
                                + list(map.key().stream().map(k -> k.column(target)).toList())
                                + ": MariaDB's INSERT ... ON DUPLICATE KEY UPDATE fires on any unique index, so a change"
                                + " could silently update a different row than the one its key names",
                        "key the map on " + list(index) + " if that is the row's identity, or make that index"
                                + " non-unique (DROP INDEX, then CREATE INDEX without UNIQUE) if it is not");
            }
        }

        private void softDeleteColumn(Side target, TableSchema table) {
            map.deletes().softDeleteColumn().flatMap(table::column).ifPresent(column -> {
                SqlType.Kind kind = column.type().kind();
                if (kind != SqlType.Kind.BOOLEAN && kind != SqlType.Kind.TIMESTAMP && kind != SqlType.Kind.TIMESTAMPTZ) {
                    add(target, column.name(), "soft-delete column '" + column.name() + "' is "
                                    + TypeCompatibility.describe(column.type()) + ", not boolean or a timestamp",
                            "use a boolean column (set true on delete) or a timestamp column (set to the delete time)");
                }
            });
        }

        /** A value set on create that its column cannot hold would fail every insert of the map. */
        private void insertValues(Side target, TableSchema table) {
            map.onInsert().values(target).forEach((name, text) -> table.column(name).ifPresent(column -> {
                try {
                    InsertValues.value(column, text);
                } catch (IllegalArgumentException e) {
                    add(target, name, e.getMessage(), "write a value of the column's type under onInsert."
                            + target.label() + ", e.g. " + example(column.type()));
                }
            }));
        }

        private static String example(SqlType type) {
            return switch (type.kind()) {
                case BOOLEAN -> "true";
                case INT16, INT32, INT64 -> "1";
                case DECIMAL, FLOAT32, FLOAT64 -> "0.5";
                case DATE -> "2026-11-30";
                case TIME -> "15:04:05";
                case TIMESTAMP -> "2026-11-30T15:04:05";
                case TIMESTAMPTZ -> "2026-11-30T15:04:05Z";
                case UUID -> "123e4567-e89b-12d3-a456-426614174000";
                default -> "active";
            };
        }

        private void fieldTypes(FieldMap field, Side source, TableSchema sourceTable, Side target, TableSchema targetTable) {
            Optional<Column> to = field.column(target).flatMap(targetTable::column);
            if (to.isEmpty()) {
                return;
            }
            if (field.toward(target).prefix().isPresent() && to.get().type().kind() != SqlType.Kind.STRING) {
                add(target, to.get().name(), "to" + target.name() + " adds a prefix, but '" + to.get().name() + "' is "
                        + TypeCompatibility.describe(to.get().type()) + ", not text", "remove the prefix, or map to a text column");
            }
            Optional<Column> from = sourceTable == null ? Optional.empty() : field.column(source).flatMap(sourceTable::column);
            if (from.isEmpty()) {
                return;
            }
            TypeCompatibility.refusal(from.get().type(), to.get().type(), !field.values().isEmpty()).ifPresent(reason ->
                    add(target, to.get().name(), "cannot write " + source.label() + "." + from.get().name() + " ("
                                    + TypeCompatibility.describe(from.get().type()) + ") to " + target.label() + "." + to.get().name()
                                    + " (" + TypeCompatibility.describe(to.get().type()) + "): " + reason,
                            "map columns of compatible types, change a column's type, or make the map flow the other way only"));
        }

        private void add(Side side, String column, String message, String fix) {
            problems.add(new CatalogProblem(map.name(), side, map.table(side), column, message, fix));
        }
    }

    private static String list(List<String> columns) {
        return "(" + String.join(", ", columns) + ")";
    }
}
