package io.dualsync.launcher.demo;

/**
 * The database the demo's ERP runs on. Both hold the same tables under the same qualified names
 * ({@code sales.customer}: a schema on PostgreSQL, a database on MariaDB), so the scenario's
 * checks read alike; what differs is the DDL and how a rewrite of a row shows.
 */
public enum DemoErp {
    POSTGRES("/demo/erp.sql", "select xmin::text from sales.customer where no = ?"),
    MARIADB("/demo/erp-mariadb.sql", "select cast(modified_at as char) from sales.customer where no = ?");

    private final String ddlResource;
    private final String rowVersionSql;

    DemoErp(String ddlResource, String rowVersionSql) {
        this.ddlResource = ddlResource;
        this.rowVersionSql = rowVersionSql;
    }

    String ddlResource() {
        return ddlResource;
    }

    /** A query whose result changes whenever the row is rewritten, even with the same values. */
    String rowVersionSql() {
        return rowVersionSql;
    }
}
