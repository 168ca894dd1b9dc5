package io.dualsync.catalog;

import io.dualsync.config.DatabaseTls;
import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What a failed connection says: the driver's reason, and for a TLS failure what to check in the config. */
class ConnectionFailureTest {

    private static final Endpoint PLAIN = new Endpoint("crm", EndpointKind.POSTGRES, "jdbc:postgresql://db:5432/crm", "sync", null,
            "dualsync_crm", "dualsync_crm", Optional.empty(), "UTC");
    private static final Endpoint WITH_TLS = new Endpoint("crm", EndpointKind.POSTGRES, "jdbc:postgresql://db:5432/crm", "sync", null,
            "dualsync_crm", "dualsync_crm", Optional.empty(), "UTC",
            Optional.of(new DatabaseTls(DatabaseTls.Mode.VERIFY_FULL, Optional.of(Path.of("/etc/tls/db-ca.pem")))));

    @Test
    void shouldPointAtTheTlsBlockWhenTheHandshakeFailed() {
        SQLException e = new SQLException("SSL error: PKIX path validation failed", "08006",
                new SSLHandshakeException("PKIX path validation failed"));

        assertThat(ConnectionFailure.describe(WITH_TLS, e)).isEqualTo("cannot connect to endpoint 'crm' at jdbc:postgresql://db:5432/crm"
                + " as sync: SSL error: PKIX path validation failed. TLS (verify-full (CA db-ca.pem)) failed: check that"
                + " endpoints.crm.tls.caFile holds the CA that signed the server's certificate and, for verify-full, that the"
                + " certificate names the host of the URL");
    }

    @Test
    void shouldSuggestTlsWhenAServerRefusesAnUnencryptedClient() {
        for (String refusal : new String[] {
                "FATAL: no pg_hba.conf entry for host \"10.0.0.1\", user \"sync\", database \"crm\", no encryption",
                "Connections using insecure transport are prohibited while --require_secure_transport=ON."}) {
            assertThat(ConnectionFailure.describe(PLAIN, new SQLException(refusal)))
                    .endsWith(". The server may accept only TLS connections: add endpoints.crm.tls: { mode: verify-full,"
                            + " caFile: <CA of the server's certificate> }");
        }
    }

    @Test
    void shouldAddNothingToAFailureThatIsNotTls() {
        assertThat(ConnectionFailure.describe(WITH_TLS, new SQLException("Connection refused")))
                .isEqualTo("cannot connect to endpoint 'crm' at jdbc:postgresql://db:5432/crm as sync: Connection refused");
    }
}
