package io.dualsync.transform;

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
    void shouldStopTheServiceOnAnythingElse() {
        assertThat(Failures.isRecordFailure(new IllegalStateException("store closed"))).isFalse();
        assertThat(Failures.isRecordFailure(new NullPointerException())).isFalse();
    }
}
