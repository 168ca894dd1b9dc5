package io.dualsync.apply;

/**
 * The target database failed in a way that will likely pass (lost connection, serialization
 * failure, deadlock, shutdown, lack of resources): nothing of the batch was committed and the
 * caller retries the whole batch after a pause. The message carries the SQLSTATE and never row
 * values.
 */
public final class TransientApplyException extends RuntimeException {

    private final String sqlState;

    public TransientApplyException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
