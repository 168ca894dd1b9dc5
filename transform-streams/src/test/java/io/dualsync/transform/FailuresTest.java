package io.dualsync.transform;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void shouldDeadLetterRecordsThatCannotBeMappedOrRead() {
        assertThat(Failures.isRecordFailure(new MappingException("column 'x': reason"))).isTrue();
        assertThat(Failures.isRecordFailure(new SerializationException("not Avro"))).isTrue();
        assertThat(Failures.isRecordFailure(new AvroRuntimeException("malformed"))).isTrue();
    }

    @Test
    void shouldStopTheServiceWhenTheNetworkFailsEvenInsideAReadError() {
        assertThat(Failures.isRecordFailure(new SerializationException("registry", new ConnectException("refused")))).isFalse();
        assertThat(Failures.isRecordFailure(new RuntimeException(new SocketTimeoutException()))).isFalse();
    }

    @Test
    void shouldDeadLetterARecordWhoseSchemaTheRegistryDoesNotKnowButWaitForARegistryThatIsDown() {
        assertThat(Failures.isRecordFailure(new RestClientException(error(404, "ContentNotFoundException")))).isTrue();
        // how the Apicurio client reports a refused connection: no HTTP status
        assertThat(Failures.isRecordFailure(new RestClientException(error(null, "ConnectException")))).isFalse();
        assertThat(Failures.isRecordFailure(new RestClientException(error(503, "ServiceUnavailable")))).isFalse();
    }

    private static Error error(Integer status, String name) {
        Error error = new Error();
        error.setErrorCode(status);
        error.setName(name);
        return error;
    }

    @Test
    void shouldStopTheServiceOnAnythingElse() {
        assertThat(Failures.isRecordFailure(new IllegalStateException("store closed"))).isFalse();
        assertThat(Failures.isRecordFailure(new NullPointerException())).isFalse();
    }
}
