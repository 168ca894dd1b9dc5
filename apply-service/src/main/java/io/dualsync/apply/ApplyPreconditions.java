package io.dualsync.apply;

import io.dualsync.config.DeletePolicy;
import io.dualsync.config.Endpoint;
import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The apply user's least privileges, checked before apply starts (README, "Grants"): on each
 * mapped target table {@code SELECT} (the upsert's conflict check, key lookups and row locks),
 * {@code INSERT} and {@code UPDATE} of the columns the map writes (and of the soft-delete
 * column), {@code DELETE} only with {@code deletes: delete}; the bookkeeping tables created (or the
 * right to create them) and {@code SELECT, INSERT, UPDATE, DELETE} on them. Every missing privilege
 * is reported at once, each with the statement that grants it, instead of the first one failing a
 * batch later as a dead letter or a retry loop.
 */
final class ApplyPreconditions {

    /** The columns apply reads and writes in its bookkeeping tables ({@link BookkeepingTables#postgresDdl()}). */
    private static final List<String> CHECKPOINT_COLUMNS = List.of("worker_id", "batches", "last_source_position", "updated_at");
    private static final List<String> ROW_STATE_COLUMNS = List.of("map_name", "target_table", "row_key", "source_endpoint",
            "source_position", "row_hash", "updated_at");
    private static final List<String> ALL = List.of("SELECT", "INSERT", "UPDATE", "DELETE");

    private final Connection c;
    private final SqlDialect dialect;
    private final TargetGrants grants;
    private final String grantee;
    private final Set<String> problems = new LinkedHashSet<>();

    private ApplyPreconditions(Connection c, SqlDialect dialect, TargetGrants grants) throws SQLException {
        this.c = c;
        this.dialect = dialect;
        this.grants = grants;
        this.grantee = grants.grantee(c);
    }

    /**
     * Checks the grants and creates the bookkeeping tables where missing (committed).
     *
     * @throws ApplyPreconditionException naming every missing privilege with its GRANT statement
     * @throws SQLException               when the database fails otherwise
     */
    static void check(Connection c, Endpoint endpoint, SqlDialect dialect, List<MappedTopic> topics) throws SQLException {
        ApplyPreconditions check = new ApplyPreconditions(c, dialect, TargetGrants.of(endpoint.kind(), dialect));
        try {
            for (MappedTopic t : topics) {
                check.mappedTable(t);
            }
            check.bookkeeping(endpoint);
        } finally {
            c.rollback();
        }
        if (!check.problems.isEmpty()) {
            throw new ApplyPreconditionException(endpoint.name(), List.copyOf(check.problems));
        }
    }

    private void mappedTable(MappedTopic t) throws SQLException {
        TableRef table = t.columns().target().ref();
        String why = "map '" + t.map().name() + "' writes it";
        if (!requireSchema(table.schema(), "map '" + t.map().name() + "' writes " + table.qualifiedName())) {
            return; // PostgreSQL cannot even name a table of a schema the user may not use
        }
        // the upsert reads the columns it compares and the rows it locks
        require(table, "SELECT", t.columns().columns(), why + " and reads its rows to compare them");
        require(table, "INSERT", t.columns().columns(), why);
        List<String> updated = new ArrayList<>(t.columns().columns());
        t.map().deletes().softDeleteColumn().filter(col -> !updated.contains(col)).ifPresent(updated::add);
        require(table, "UPDATE", updated, why);
        if (t.map().deletes().kind() == DeletePolicy.Kind.DELETE) {
            require(table, "DELETE", List.of(), why + " with deletes: delete");
        }
    }

    private void bookkeeping(Endpoint endpoint) throws SQLException {
        try {
            new Bookkeeping(dialect).ensureCreated(c);
        } catch (SQLException e) {
            if (!grants.isDenied(e)) {
                throw e;
            }
            c.rollback();
            problems.add("user " + grantee + " may not create the dualsync bookkeeping tables: " + grants.bookkeepingFix(c, grantee));
            return;
        }
        String why = "dualsync's bookkeeping";
        if (!requireSchema(BookkeepingTables.checkpoint(endpoint).schema(), why)) {
            return;
        }
        for (String privilege : ALL) {
            require(BookkeepingTables.checkpoint(endpoint), privilege, CHECKPOINT_COLUMNS, why);
            require(BookkeepingTables.rowState(endpoint), privilege, ROW_STATE_COLUMNS, why);
        }
    }

    /** @return whether the user may use the schema; if not, the problem is recorded */
    private boolean requireSchema(String schema, String why) throws SQLException {
        if (grants.mayUseSchema(c, schema)) {
            return true;
        }
        problems.add("user " + grantee + " lacks USAGE on schema " + schema + " (" + why + "): GRANT USAGE ON SCHEMA "
                + dialect.quote(schema) + " TO " + grantee);
        return false;
    }

    private void require(TableRef table, String privilege, List<String> columns, String why) throws SQLException {
        if (!grants.holds(c, table, privilege, columns)) {
            problems.add("user " + grantee + " lacks " + privilege + " on " + table.qualifiedName() + " (" + why + "): GRANT "
                    + privilege + " ON " + dialect.table(table) + " TO " + grantee);
        }
    }
}
