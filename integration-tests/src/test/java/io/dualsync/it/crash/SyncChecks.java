package io.dualsync.it.crash;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the crash harness checks on the databases: the user tables compared row by row, column by
 * column between source and target; the audit trail of the target tables for writes dualsync
 * made twice or out of order; and apply's bookkeeping ({@code dualsync.row_state}) against the
 * rows it holds.
 */
final class SyncChecks {

    /** The audit table and trigger every user table gets, on both sides. */
    static final String AUDIT_DDL = """
            create table crash_audit (id bigserial primary key, tbl text not null, key bigint not null,
                version int not null, op char(1) not null, txid bigint not null, app text not null);
            create function crash_audit() returns trigger language plpgsql as $$
            begin
              if tg_op = 'DELETE' then
                insert into crash_audit (tbl, key, version, op, txid, app)
                  values (tg_table_name, old.id, old.version, 'D', txid_current(), current_setting('application_name'));
                return old;
              end if;
              insert into crash_audit (tbl, key, version, op, txid, app)
                values (tg_table_name, new.id, new.version, left(tg_op, 1), txid_current(), current_setting('application_name'));
              return new;
            end $$;
            """;

    private SyncChecks() {
    }

    static String createTable(String table) {
        return "create table " + table + " (id bigint primary key, version int not null, payload text, "
                + "amount numeric(20,4), changed_at timestamptz);\n"
                + "create trigger " + table + "_audit after insert or update or delete on " + table
                + " for each row execute function crash_audit();";
    }

    /** How one side's rows of a key range differ from the other side's. */
    record Difference(Set<Long> missing, Set<Long> unexpected, Set<Long> differing) {
        boolean none() {
            return missing.isEmpty() && unexpected.isEmpty() && differing.isEmpty();
        }

        int count() {
            return missing.size() + unexpected.size() + differing.size();
        }

        @Override
        public String toString() {
            return "missing " + missing.size() + " " + first(missing) + ", unexpected " + unexpected.size() + " "
                    + first(unexpected) + ", differing " + differing.size() + " " + first(differing);
        }

        private static Set<Long> first(Set<Long> keys) {
            return keys.stream().limit(10).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** Rows {@code from <= id < to} of the source table against the target table: every column. */
    static Difference compare(Connection source, String sourceTable, Connection target, String targetTable,
                              long from, long to) throws SQLException {
        Map<Long, String> expected = image(source, sourceTable, from, to);
        Map<Long, String> actual = image(target, targetTable, from, to);
        Set<Long> missing = new TreeSet<>();
        Set<Long> differing = new TreeSet<>();
        for (Map.Entry<Long, String> e : expected.entrySet()) {
            String got = actual.get(e.getKey());
            if (got == null) {
                missing.add(e.getKey());
            } else if (!Objects.equals(got, e.getValue())) {
                differing.add(e.getKey());
            }
        }
        Set<Long> unexpected = new TreeSet<>(actual.keySet());
        unexpected.removeAll(expected.keySet());
        return new Difference(missing, unexpected, differing);
    }

    static int count(Connection c, String table, long from, long to) throws SQLException {
        return (int) single(c, "select count(*) from " + table + " where id >= " + from + " and id < " + to);
    }

    private static Map<Long, String> image(Connection c, String table, long from, long to) throws SQLException {
        Map<Long, String> rows = new HashMap<>();
        // the instant in UTC and the decimal's exact text: equal values print equally on both sides
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, version, payload, amount::text, "
                + "to_char(changed_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') from " + table
                + " where id >= " + from + " and id < " + to)) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getInt(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5));
            }
        }
        return rows;
    }

    /** dualsync's audited writes of one table: how many were made more than once or went back in version. */
    record AuditResult(long applied, long duplicated, long backwards, List<String> examples) {
    }

    static AuditResult audit(Connection target, String table) throws SQLException {
        String byDualsync = "from crash_audit where tbl = '" + table + "' and app <> '" + CrashWriter.APPLICATION_NAME + "'";
        long applied = single(target, "select count(*) " + byDualsync);
        List<String> examples = new ArrayList<>();
        long duplicated = 0;
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(
                "select key, version, op, count(*), string_agg(txid::text, ',') " + byDualsync
                        + " group by key, version, op having count(*) > 1 order by key")) {
            while (rs.next()) {
                duplicated += rs.getLong(4) - 1;
                if (examples.size() < 10) {
                    examples.add(table + " key " + rs.getLong(1) + " version " + rs.getInt(2) + " op " + rs.getString(3)
                            + " written " + rs.getLong(4) + " times by transactions " + rs.getString(5));
                }
            }
        }
        long backwards = single(target, "select count(*) from (select version, op, lag(version) over (partition by key order by id) as before "
                + byDualsync + ") w where op <> 'D' and version < before");
        return new AuditResult(applied, duplicated, backwards, examples);
    }

    /**
     * Apply's bookkeeping of a map in a target against the target's rows: every row dualsync holds
     * there has a row state with an image hash, and no row state with an image hash lacks its row.
     *
     * @return the number of row states with a hash, and the target rows of the other side's range
     */
    static long[] bookkeeping(Connection target, String map, String table, long from, long to) throws SQLException {
        long withHash = single(target, "select count(*) from dualsync.row_state where map_name = '" + map
                + "' and row_hash is not null");
        return new long[] {withHash, count(target, table, from, to)};
    }

    /** One key's audited writes (table, version, op, writer, txid) and row states, in order: no row values. */
    static String history(Connection c, long key) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select tbl, version, op, "
                + "case when app = '" + CrashWriter.APPLICATION_NAME + "' then 'user' else 'dualsync' end, txid "
                + "from crash_audit where key = " + key + " order by id")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(" v").append(rs.getInt(2)).append(' ').append(rs.getString(3))
                        .append(" by ").append(rs.getString(4)).append(" tx ").append(rs.getLong(5)).append("; ");
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select map_name, source_endpoint, "
                + "source_position, row_hash is not null from dualsync.row_state where row_key = '[\"" + key + "\"]'")) {
            while (rs.next()) {
                out.append("row_state ").append(rs.getString(1)).append(" from ").append(rs.getString(2)).append(" at ")
                        .append(rs.getLong(3)).append(rs.getBoolean(4) ? " with image" : " deleted").append("; ");
            }
        }
        return out.toString();
    }

    static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Map<String, Long> slotLag(Connection c) throws SQLException {
        Map<String, Long> lag = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select slot_name, "
                + "pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint from pg_replication_slots")) {
            while (rs.next()) {
                lag.put(rs.getString(1), rs.getLong(2));
            }
        }
        return lag;
    }
}
