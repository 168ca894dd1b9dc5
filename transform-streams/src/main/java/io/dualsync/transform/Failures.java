package io.dualsync.transform;

import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.common.errors.SerializationException;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/**
 * Tells a failure of one record (it goes to the dead-letter topic and the stream continues)
 * from a failure of the service (it is rethrown: the stream thread dies, Kafka Streams does not
 * commit the record, and the service reports the error). A record fails when it cannot be
 * mapped or its bytes cannot be read; anything caused by the network, such as an unreachable
 * schema registry, is the service's failure, or an outage would dead-letter every change.
 */
final class Failures {

    private Failures() {
    }

    static boolean isRecordFailure(Throwable e) {
        if (causedByNetwork(e)) {
            return false;
        }
        return e instanceof MappingException
                || e instanceof SerializationException
                || e instanceof AvroRuntimeException
                || e instanceof ClassCastException
                // ColumnValues refuses a value that does not fit its Avro type this way
                || e instanceof IllegalArgumentException;
    }

    private static boolean causedByNetwork(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException || t instanceof UnknownHostException
                    || t instanceof HttpTimeoutException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    /** A reason fit for logs and headers: the message, or the exception's name when it has none. */
    static String reason(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
