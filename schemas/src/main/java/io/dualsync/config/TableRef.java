package io.dualsync.config;

/**
 * A table on one endpoint: {@code crm.public.account} is endpoint {@code crm}, schema
 * {@code public}, table {@code account}. On MariaDB the schema is the database.
 */
public record TableRef(String endpoint, String schema, String table) {

    /** {@code schema.table}, as used in SQL (unquoted) and in log lines. */
    public String qualifiedName() {
        return schema + "." + table;
    }

    @Override
    public String toString() {
        return endpoint + "." + schema + "." + table;
    }
}
