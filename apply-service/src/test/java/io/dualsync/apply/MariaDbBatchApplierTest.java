package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.DeletePolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static io.dualsync.apply.Tables.column;
import static org.assertj.core.api.Assertions.assertThat;

/** The apply behaviour on MariaDB: INSERT ... ON DUPLICATE KEY UPDATE, dualsync_ bookkeeping tables. */
class MariaDbBatchApplierTest extends AbstractBatchApplierTest {

    private static final String DATABASE = "batch_applier_test";
    private static final TestMariaDb mariadb = TestMariaDb.shared();

    private static final TargetDatabase DB = new TargetDatabase() {
        @Override
        public SqlDialect dialect() {
            return new MariaDbDialect();
        }

        @Override
        public Connection connect() throws SQLException {
            return mariadb.connect(DATABASE);
        }

        @Override
        public String schema() {
            return DATABASE;
        }

        @Override
        public String checkpointTable() {
            return MariaDbDialect.CHECKPOINT_TABLE;
        }

        @Override
        public String rowStateTable() {
            return MariaDbDialect.ROW_STATE_TABLE;
        }
    };

    private static final TableSchema CUSTOMER = Tables.table(DATABASE, "customer", List.of("no"),
            new Column("no", new SqlType(Kind.STRING, 40, 0, "varchar"), false),
            column("name", Kind.STRING, "text"),
            new Column("credit_limit", SqlType.decimal(38, 10, "decimal"), true),
            column("blocked", Kind.BOOLEAN, "tinyint(1)"),
            new Column("deleted_at", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp"), true),
            new Column("deleted_local", new SqlType(Kind.TIMESTAMP, 6, 0, "datetime"), true));

    @BeforeAll
    static void createDatabase() throws SQLException {
        mariadb.createDatabase(DATABASE);
    }

    @Override
    TargetDatabase db() {
        return DB;
    }

    @Override
    List<String> createCustomerTable() {
        return List.of("DROP TABLE IF EXISTS customer",
                "CREATE TABLE customer (no varchar(40) PRIMARY KEY, name text NOT NULL, "
                        + "credit_limit decimal(38,10) CHECK (credit_limit >= 0), "
                        + "blocked boolean NOT NULL DEFAULT false, deleted_at timestamp(6) NULL, deleted_local datetime(6), "
                        // tells whether MariaDB rewrote the row: set on insert, changed by every real update
                        + "changed_at timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6))");
    }

    @Override
    TableSchema customerTable() {
        return CUSTOMER;
    }

    @Override
    Object rowVersion(String no) throws Exception {
        // the clock must move on for an update to show
        Thread.sleep(5);
        return DB.queryValue("SELECT changed_at FROM customer WHERE no = '" + no + "'");
    }

    @Override
    String notNullViolation() {
        return "23000";
    }

    @Override
    String checkViolation() {
        return "23000";
    }

    @Override
    Instant instant(ResultSet rs, int column) throws Exception {
        // the session's time_zone is +00:00: a TIMESTAMP reads as its UTC wall-clock time
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    @Test
    void shouldChangeTheRowVersionWhenAValueChanges() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        Object before = rowVersion("C-1");

        applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)));

        assertThat(rowVersion("C-1")).isNotEqualTo(before);
    }

    @Test
    void shouldLeaveTheBinlogWithoutAUserTableEventWhenTheUpsertChangesNothing() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        long eventsBefore = customerRowEvents();

        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 200)));

        assertThat(customerRowEvents()).isEqualTo(eventsBefore);
    }

    /** Row events on the customer table in the current binlog file (SHOW BINLOG EVENTS names the table map). */
    private long customerRowEvents() throws Exception {
        String file;
        try (Connection c = DB.connect(); var s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            file = rs.getString(1);
        }
        long n = 0;
        try (Connection c = DB.connect(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + file + "'")) {
            while (rs.next()) {
                String info = rs.getString("Info");
                if ("Table_map".equals(rs.getString("Event_type")) && info != null && info.contains("`customer`")) {
                    n++;
                }
            }
        }
        return n;
    }
}
