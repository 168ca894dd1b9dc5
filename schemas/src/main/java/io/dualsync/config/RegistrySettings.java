package io.dualsync.config;

/**
 * Schema registry settings.
 *
 * @param url base URL of the Apicurio Registry, e.g. {@code http://localhost:8080}; the
 *            versioned API paths are derived from it ({@link #v2Api()}, {@link #v3Api()})
 */
public record RegistrySettings(String url) {

    /** The v2 API, used by the Debezium (Kafka Connect) Avro converter. */
    public String v2Api() {
        return stripSlash(url) + "/apis/registry/v2";
    }

    /** The v3 API, used by the Kafka serdes of transform-streams and apply-service. */
    public String v3Api() {
        return stripSlash(url) + "/apis/registry/v3";
    }

    /** The Confluent-compatible API, for consumers built on Confluent's clients. */
    public String confluentCompatibleApi() {
        return stripSlash(url) + "/apis/ccompat/v7";
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
