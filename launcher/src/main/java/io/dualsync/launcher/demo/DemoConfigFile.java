package io.dualsync.launcher.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes the demo's config file: the bundled template with the embedded servers' addresses. */
public final class DemoConfigFile {

    private DemoConfigFile() {
    }

    /**
     * @param erpEndpoint the ERP endpoint's flow mapping, e.g. {@code { kind: mariadb, url: "...", user: u, passwordFile: f }}
     */
    public static Path write(Path dir, String bootstrap, String registry, String crmUrl, String user,
                             DemoErp erp, String erpEndpoint) throws IOException {
        String template;
        try (InputStream in = DemoConfigFile.class.getResourceAsStream("/demo/dualsync-demo.yaml")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> values = Map.of("bootstrap", bootstrap, "registry", registry,
                "crmUrl", crmUrl, "user", user, "erpKind", erp == DemoErp.MARIADB ? "MariaDB" : "PostgreSQL",
                "erpEndpoint", erpEndpoint);
        for (Map.Entry<String, String> e : values.entrySet()) {
            template = template.replace("${" + e.getKey() + "}", e.getValue());
        }
        return Files.writeString(dir.resolve("dualsync-demo.yaml"), template);
    }
}
