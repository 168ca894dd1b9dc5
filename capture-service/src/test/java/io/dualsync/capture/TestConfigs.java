package io.dualsync.capture;

import io.dualsync.config.CompanyFilter;
import io.dualsync.config.ConflictPolicy;
import io.dualsync.config.DeletePolicy;
import io.dualsync.config.Direction;
import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.KeyField;
import io.dualsync.config.RegistrySettings;
import io.dualsync.config.RowFilter;
import io.dualsync.config.Secret;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds sync configurations in code, as the YAML loader would. */
final class TestConfigs {

    private TestConfigs() {
    }

    static Endpoint postgres(String name, String url, String user, Secret password) {
        return new Endpoint(name, EndpointKind.POSTGRES, url, user, password, "dualsync_" + name, "dualsync_" + name,
                Optional.empty(), "UTC");
    }

    static Endpoint mariadb(String name, String url, String user, Secret password, long serverId) {
        return new Endpoint(name, EndpointKind.MARIADB, url, user, password, "dualsync_" + name, "dualsync_" + name,
                Optional.of(serverId), "Europe/Berlin");
    }

    static TableMap map(String name, String a, String b) {
        return new TableMap(name, ref(a), ref(b), Direction.BIDIRECTIONAL, List.of(new KeyField("id", "id")), List.of(),
                RowFilter.ALL, RowFilter.ALL, CompanyFilter.NONE, ConflictPolicy.FAIL, DeletePolicy.DELETE);
    }

    /** {@code endpoint.schema.table}. */
    static TableRef ref(String dotted) {
        String[] parts = dotted.split("\\.", 3);
        return new TableRef(parts[0], parts[1], parts[2]);
    }

    static SyncConfig config(String bootstrap, String registryUrl, List<Endpoint> endpoints, List<TableMap> maps) {
        Map<String, Endpoint> byName = new LinkedHashMap<>();
        endpoints.forEach(e -> byName.put(e.name(), e));
        return new SyncConfig(Path.of("test.yaml"), new KafkaSettings(bootstrap, Map.of(), 1, (short) 1),
                new RegistrySettings(registryUrl), byName, maps);
    }
}
