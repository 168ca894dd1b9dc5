package io.dualsync.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.dualsync.contract.RegistrySerdeSettings;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared broker, registry and PostgreSQL are real and set up the way dualsync needs them. */
class InfrastructureSmokeIT {

    private static final SharedInfrastructure infra = SharedInfrastructure.get();
    private static final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldRoundTripARecordThroughANewTopic() throws Exception {
        String topic = createTopic("smoke_plain");

        produce(topic, new StringSerializer(), "key-1", "value-1", Map.of());
        List<ConsumerRecord<String, String>> records = consumeAll(topic, new StringDeserializer(), Map.of(), 1);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("key-1");
            assertThat(r.value()).isEqualTo("value-1");
        });
    }

    @Test
    void shouldRegisterAnAvroSchemaAndReadTheRecordBackThroughTheRegistry() throws Exception {
        String topic = createTopic("smoke_avro");
        Schema schema = SchemaBuilder.record("Customer").namespace("io.dualsync.it").fields()
                .requiredLong("id").requiredString("name").optionalString("city")
                .endRecord();
        GenericRecord customer = new GenericData.Record(schema);
        customer.put("id", 42L);
        customer.put("name", "Zoë Ünal");
        customer.put("city", null);
        Map<String, Object> serdeConfig = RegistrySerdeSettings.of(infra.registrySettings());

        produce(topic, new AvroKafkaSerializer<>(), "k", customer, serdeConfig);
        List<ConsumerRecord<String, GenericRecord>> records =
                consumeAll(topic, new AvroKafkaDeserializer<>(), serdeConfig, 1);

        GenericRecord read = records.getFirst().value();
        assertThat(read.get("id")).isEqualTo(42L);
        assertThat(read.get("name")).hasToString("Zoë Ünal");
        assertThat(read.get("city")).isNull();
        assertThat(getJson(infra.registrySettings().confluentCompatibleApi() + "/subjects"))
                .extracting(JsonNode::asText)
                .contains(topic + "-value");
    }

    @Test
    void shouldEnforceBackwardCompatibilityGlobally() throws Exception {
        JsonNode rule = getJson(infra.registrySettings().v3Api() + "/admin/rules/COMPATIBILITY");

        assertThat(rule.get("config").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void shouldRunPostgresWithLogicalDecodingEnabled() throws Exception {
        String url = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("smoke"));

        try (Connection c = DriverManager.getConnection(url, infra.postgres().user(), "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW wal_level")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("logical");
        }
    }

    @Test
    void shouldRefuseADatabaseNameThatIsNotAPlainIdentifier() {
        assertThatThrownBy(() -> infra.postgres().createDatabase("x; DROP DATABASE postgres"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database name must match");
    }

    private static String createTopic(String prefix) throws Exception {
        String topic = SharedInfrastructure.uniqueName(prefix);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            assertThat(admin.listTopics().names().get()).contains(topic);
        }
        return topic;
    }

    private static <V> void produce(String topic, Serializer<V> valueSerializer, String key, V value,
                                    Map<String, Object> valueConfig) throws Exception {
        valueSerializer.configure(valueConfig, false);
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), valueSerializer)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static <V> List<ConsumerRecord<String, V>> consumeAll(String topic, Deserializer<V> valueDeserializer,
                                                                  Map<String, Object> valueConfig, int expected) {
        valueDeserializer.configure(valueConfig, false);
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), valueDeserializer)) {
            // assign, not subscribe: no consumer group, so no rebalance to wait for
            consumer.assign(Set.of(new TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from %s", topic).hasSize(expected);
        return records;
    }

    private static JsonNode getJson(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            return json.readTree(response.body());
        }
    }
}
