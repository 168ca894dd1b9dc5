package io.dualsync.transform;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class TransformStreamsConfigTest {

    private final Properties props = TransformStreamsConfig.streamsProperties(Fixture.customers().config(),
            "dualsync-transform", Path.of("/var/lib/dualsync/transform"));

    @Test
    void shouldProcessExactlyOnceAndCommitEvery100Ms() {
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100);
    }

    @Test
    void shouldUseTheApplicationIdStateDirectoryAndReplicationFactorGiven() {
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("dualsync-transform");
        assertThat(props.get(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo(Path.of("/var/lib/dualsync/transform").toString());
        assertThat(props.get(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(1);
    }

    @Test
    void shouldPassTheUsersKafkaClientSettingsThrough() {
        assertThat(props.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("localhost:9092");
        assertThat(props.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)).isEqualTo("PLAINTEXT");
    }

    @Test
    void shouldDefaultToByteArraySerdesAndBeValidForKafkaStreams() {
        assertThat(props.get(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG)).isEqualTo(Serdes.ByteArraySerde.class);
        assertThat(new StreamsConfig(props).defaultValueSerde()).isInstanceOf(Serdes.ByteArraySerde.class);
    }
}
