package io.dualsync.transform;

import io.apicurio.rest.client.error.ApicurioRestClientException;
import io.dualsync.retry.RegistryOutage;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Tells a failure of one record (it goes to the dead-letter topic and the stream continues)
 * from a failure of the service (it is rethrown: the stream thread dies and Kafka Streams does
 * not commit the record). A record fails when it cannot be mapped or its bytes cannot be read,
 * including a schema id the registry answers it does not know; a registry that cannot be
 * reached at all ({@link RegistryOutage}) is the service's failure, which the service waits out
 * (see {@link TransformService}), or an outage would dead-letter every change.
 */
final class Failures {

    private Failures() {
    }

    static boolean isRecordFailure(Throwable e) {
        if (RegistryOutage.causedBy(e)) {
            return false;
        }
        return e instanceof MappingException
                || e instanceof SerializationException
                || e instanceof AvroRuntimeException
                || e instanceof ClassCastException
                // the registry answered, and has no such schema
                || e instanceof ApicurioRestClientException
                // ColumnValues refuses a value that does not fit its Avro type this way
                || e instanceof IllegalArgumentException;
    }

    /** A reason fit for logs and headers: the message, or the exception's name when it has none. */
    static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
