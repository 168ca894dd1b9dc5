package io.dualsync.retry;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;

import java.io.IOException;

/**
 * Tells a schema registry that cannot answer (down, restarting, overloaded) from a record that
 * cannot be read. The first passes by itself, so a service waits and tries again; the second is
 * the record's fault and goes to the dead-letter topic. Reading a record's schema by id is the
 * only registry call on the read path, and the Apicurio client reports a connection it could not
 * make as a {@link RestClientException} whose error has no HTTP status (measured: error name
 * {@code ConnectException}, code {@code null}); an answer with a 5xx status is the server failing.
 * A 4xx answer (an unknown content id) is the record's fault.
 */
public final class RegistryOutage {

    private RegistryOutage() {
    }

    /** Whether {@code failure} (or one of its causes) says the registry could not be asked or could not answer. */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
            if (t instanceof RestClientException e) {
                Error error = e.getError();
                Integer status = error == null ? null : error.getErrorCode();
                return status == null || status >= 500;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
