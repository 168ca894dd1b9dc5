package io.dualsync.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the sync configuration the benchmark's services run with: one map {@code orders} from
 * {@code src.public.orders} to {@code dst.public.orders_sync}, all 12 columns under their own
 * names, keyed by the business key {@code order_no}. Extra Kafka client properties (the tuning
 * levers under test) go under {@code kafka.properties}, which every client of every service gets.
 */
final class BenchConfigFile {

    private BenchConfigFile() {
    }

    static Path write(Path dir, String bootstrap, String registry, String sourceUrl, String targetUrl, String user,
                      int partitions, Map<String, String> kafkaProperties) throws IOException {
        String fields = Arrays.stream(BenchTables.COLUMNS.split(",\\s*"))
                .map(c -> "      - { a: " + c + ", b: " + c + " }")
                .collect(Collectors.joining("\n"));
        String properties = kafkaProperties.isEmpty() ? "{}" : kafkaProperties.entrySet().stream()
                .map(e -> "\n    \"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                .collect(Collectors.joining());
        String yaml = """
                # written by 'dualsync bench'
                kafka:
                  bootstrap: %s
                  partitions: %d
                  properties: %s
                registry:
                  url: %s
                endpoints:
                  src: { kind: postgres, url: "%s", user: %s }
                  dst: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: orders
                    a: src.public.%s
                    b: dst.public.%s
                    direction: a-to-b
                    key: [ { a: order_no, b: order_no } ]
                    fields:
                %s
                    deletes: delete
                """.formatted(bootstrap, partitions, properties, registry, sourceUrl, user, targetUrl, user,
                BenchTables.SOURCE, BenchTables.SYNC_TARGET, fields);
        return Files.writeString(dir.resolve("dualsync-bench.yaml"), yaml);
    }
}
