package io.dualsync.capture;

/**
 * A change event could not be written to its raw topic. Thrown out of the engine's batch handler
 * so that the engine stops instead of committing past a change that is not in Kafka. The message
 * names the topic and the Kafka error, never the record's contents.
 */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
