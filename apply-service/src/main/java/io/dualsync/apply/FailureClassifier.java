package io.dualsync.apply;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Decides from the SQLSTATE (and MariaDB's vendor code where its SQLSTATE is too coarse) what a
 * failed write is ({@link Kind}): transient, worth retrying as it is; dependent, waiting for a
 * parent row another change brings (a foreign key); or permanent, failing again until someone
 * changes the data or the schema. SQLSTATE classes follow the SQL standard as PostgreSQL documents
 * them (Appendix A, "PostgreSQL Error Codes") and MariaDB reports them (MariaDB's "Error Codes"
 * page for the vendor codes).
 */
public final class FailureClassifier {

    /** Whole SQLSTATE classes that pass by themselves: connection (08), insufficient resources (53), system error (58). */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58");
    /** Single states that pass by themselves. */
    private static final Set<String> TRANSIENT_STATES = Set.of(
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "40003", // statement_completion_unknown
            "55P03", // lock_not_available
            "57014", // query_canceled (statement timeout)
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now
            "HYT00", "HYT01"); // JDBC timeouts

    /** What kind of failure it is, hence what apply does with the change. */
    public enum Kind {
        /** passes by itself (connection, deadlock, lock timeout): retry the batch after a back-off */
        TRANSIENT,
        /** a parent row is missing (or children remain): retry the change later through the retry topic */
        DEPENDENT,
        /** only a person can fix it: the change goes to the dead-letter topic */
        PERMANENT
    }

    /** foreign_key_violation: the parent row is missing, or a delete would orphan children. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /**
     * MariaDB reports every integrity violation as 23000; its vendor codes tell a missing parent
     * (1216 ER_NO_REFERENCED_ROW, 1452 ER_NO_REFERENCED_ROW_2) or remaining children (1217, 1451
     * ER_ROW_IS_REFERENCED[_2]) from a duplicate key.
     */
    private static final Set<Integer> MARIADB_FOREIGN_KEY_CODES = Set.of(1216, 1217, 1451, 1452);
    /** MariaDB lock wait timeout (1205, SQLSTATE HY000) and deadlock (1213). */
    private static final Set<Integer> MARIADB_TRANSIENT_CODES = Set.of(1205, 1213);

    private FailureClassifier() {
    }

    /** The kind of the failure; anything without a SQLSTATE that is not a transient JDBC exception is permanent. */
    public static Kind classify(Throwable failure) {
        if (isTransient(failure)) {
            return Kind.TRANSIENT;
        }
        SQLException specific = mostSpecific(failure);
        if (specific != null && (FOREIGN_KEY_VIOLATION.equals(specific.getSQLState())
                || (isMariaDb(specific) && MARIADB_FOREIGN_KEY_CODES.contains(specific.getErrorCode())))) {
            return Kind.DEPENDENT;
        }
        return Kind.PERMANENT;
    }

    /** Whether retrying the same statements later may succeed. */
    public static boolean isTransient(Throwable failure) {
        SQLException specific = mostSpecific(failure);
        if (specific != null && isMariaDb(specific) && MARIADB_TRANSIENT_CODES.contains(specific.getErrorCode())) {
            return true;
        }
        String state = specific == null ? null : specific.getSQLState();
        if (state != null) {
            return TRANSIENT_STATES.contains(state) || TRANSIENT_CLASSES.contains(state.substring(0, Math.min(2, state.length())));
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Vendor codes mean something only for the driver that set them: PostgreSQL's driver leaves
     * them 0, MariaDB's sets its server error numbers. A plain {@link SQLException} (tests, other
     * wrappers) counts as MariaDB's when it carries a vendor code, since no other target sets one.
     */
    private static boolean isMariaDb(SQLException e) {
        return e.getErrorCode() != 0 && !e.getClass().getName().startsWith("org.postgresql");
    }

    /**
     * The most specific SQLSTATE in the failure: batch exceptions keep the real error in the
     * next-exception chain, wrappers in the cause chain. {@code null} when there is none.
     */
    public static String sqlState(Throwable failure) {
        SQLException specific = mostSpecific(failure);
        return specific == null ? null : specific.getSQLState();
    }

    /** The innermost SQL exception that has a SQLSTATE, for its message; {@code null} when none. */
    public static SQLException mostSpecific(Throwable failure) {
        SQLException found = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null) {
                        found = e;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return found;
    }
}
