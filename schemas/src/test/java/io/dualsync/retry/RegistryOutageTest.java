package io.dualsync.retry;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.dualsync.config.RegistrySettings;
import io.dualsync.contract.RegistrySerdeSettings;
import org.apache.avro.AvroTypeException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class RegistryOutageTest {

    @Test
    void shouldCallARegistryThatRefusesConnectionsAnOutage() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>()) {
            deserializer.configure(RegistrySerdeSettings.of(new RegistrySettings("http://127.0.0.1:" + closedPort)), false);
            // Confluent wire format: magic byte 0, content id 5, then a body the schema would read
            Throwable failure = catchThrowable(() -> deserializer.deserialize("t", new RecordHeaders(), new byte[] {0, 0, 0, 0, 5, 2}));

            assertThat(failure).isNotNull();
            assertThat(RegistryOutage.causedBy(failure)).isTrue();
        }
    }

    @Test
    void shouldCallAServerErrorAnOutageAndAnUnknownSchemaNot() {
        assertThat(RegistryOutage.causedBy(new SerializationException("x", new RestClientException(error(503))))).isTrue();
        assertThat(RegistryOutage.causedBy(new RestClientException(error(404)))).isFalse();
    }

    @Test
    void shouldCallAnIoFailureAnOutageAndABadRecordNot() {
        assertThat(RegistryOutage.causedBy(new RuntimeException(new java.net.ConnectException("refused")))).isTrue();
        assertThat(RegistryOutage.causedBy(new SerializationException("bad", new AvroTypeException("not a long")))).isFalse();
        assertThat(RegistryOutage.causedBy(new IllegalArgumentException("record has no value"))).isFalse();
    }

    private static Error error(int status) {
        Error error = new Error();
        error.setErrorCode(status);
        error.setName("status " + status);
        return error;
    }
}
