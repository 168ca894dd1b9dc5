package io.dualsync.transform;

/**
 * One change event cannot be mapped: the reason names the column and what is wrong, never the
 * value (messages reach logs and dead-letter headers). The event goes to the dead-letter topic
 * and the stream continues.
 */
public final class MappingException extends RuntimeException {

    public MappingException(String reason) {
        super(reason);
    }

    static MappingException column(String column, String reason) {
        return new MappingException("column '" + column + "': " + reason);
    }
}
