package io.dualsync.config;

/** The database products dualsync captures from and applies to. */
public enum EndpointKind {
    POSTGRES("postgres", "public"),
    MARIADB("mariadb", null);

    private final String configName;
    private final String defaultSchema;

    EndpointKind(String configName, String defaultSchema) {
        this.configName = configName;
        this.defaultSchema = defaultSchema;
    }

    /** The spelling used in the YAML file ({@code kind: postgres}). */
    public String configName() {
        return configName;
    }

    /**
     * The schema a two-part table reference ({@code endpoint.table}) lives in; {@code null}
     * where the schema is the database named in the JDBC URL (MariaDB).
     */
    public String defaultSchema() {
        return defaultSchema;
    }
}
