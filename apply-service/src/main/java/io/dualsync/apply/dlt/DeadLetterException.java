package io.dualsync.apply.dlt;

/** An operator command on dead letters could not be carried out; the message is meant for the operator as it is. */
public final class DeadLetterException extends RuntimeException {
    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}
