package io.dualsync.transform;

import io.dualsync.config.RegistrySettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The Apicurio serdes without a registry: they can be built offline (so building the topology
 * stays pure), and an unreachable registry is a failure of the service, not of the record, so
 * an outage stops the transform instead of dead-lettering every change. Reading and writing
 * through a real registry is covered by the integration tests.
 */
class ApicurioAvroSerdesTest {

    private final ApicurioAvroSerdes serdes = new ApicurioAvroSerdes(new RegistrySettings("http://127.0.0.1:9/"));

    @Test
    void shouldCreateConfiguredSerdesWithoutContactingTheRegistry() {
        assertThat(serdes.rawKeyDeserializer()).isNotNull();
        assertThat(serdes.rawValueDeserializer()).isNotNull();
        assertThat(serdes.mappedKeySerializer()).isNotNull();
        assertThat(serdes.mappedValueSerializer()).isNotNull();
    }

    @Test
    void shouldTreatAnUnreachableRegistryAsAServiceFailureNotARecordFailure() {
        byte[] confluentFramed = {0, 0, 0, 0, 1, 2, 'a'};

        Throwable failure = catchThrowable(() -> serdes.rawValueDeserializer().deserialize("dualsync.raw.crm.public.account", confluentFramed));

        assertThat(failure).isNotNull();
        assertThat(Failures.isRecordFailure(failure)).as("%s", failure).isFalse();
    }
}
