package io.dualsync.apply;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Decides from the SQLSTATE whether a failed write is worth retrying as it is (transient) or will
 * fail again until someone changes the data or the schema (permanent). SQLSTATE classes follow the
 * SQL standard as PostgreSQL documents them (Appendix A, "PostgreSQL Error Codes") and MariaDB
 * reports them.
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

    private FailureClassifier() {
    }

    /** Whether retrying the same statements later may succeed. */
    public static boolean isTransient(Throwable failure) {
        String state = sqlState(failure);
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
