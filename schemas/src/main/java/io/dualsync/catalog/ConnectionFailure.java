package io.dualsync.catalog;

import io.dualsync.config.Endpoint;

import javax.net.ssl.SSLException;
import java.security.GeneralSecurityException;
import java.util.Locale;

/**
 * The message for a connection to an endpoint that failed: the driver's own words plus, when the
 * failure was TLS's (a handshake, a certificate the CA did not sign, a host name the certificate
 * does not name, a server that refuses unencrypted clients), what to check in the config. Never
 * contains the password: the drivers do not put it into their messages, and neither does this.
 */
public final class ConnectionFailure {

    private ConnectionFailure() {
    }

    public static String describe(Endpoint endpoint, Exception e) {
        String base = "cannot connect to endpoint '" + endpoint.name() + "' at " + endpoint.url() + " as " + endpoint.user()
                + ": " + e.getMessage();
        if (!tlsRelated(e)) {
            return base;
        }
        return base + endpoint.tls()
                .map(tls -> ". TLS (" + tls.describe() + ") failed: check that endpoints." + endpoint.name()
                        + ".tls.caFile holds the CA that signed the server's certificate and, for verify-full, that the"
                        + " certificate names the host of the URL")
                .orElse(". The server may accept only TLS connections: add endpoints." + endpoint.name()
                        + ".tls: { mode: verify-full, caFile: <CA of the server's certificate> }");
    }

    /** Whether an SSL or certificate exception is in the chain, or the server said it wants SSL. */
    static boolean tlsRelated(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof GeneralSecurityException) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            // PostgreSQL: "no pg_hba.conf entry for host ..., no encryption" (SSL off before 17), "SSL error: ...";
            // MariaDB: "Connections using insecure transport are prohibited", a user REQUIRE SSL, host name checks
            if (message.contains("ssl") || message.contains("certificate") || message.contains("hostname")
                    || message.contains("no encryption") || message.contains("insecure transport")) {
                return true;
            }
        }
        return false;
    }
}
