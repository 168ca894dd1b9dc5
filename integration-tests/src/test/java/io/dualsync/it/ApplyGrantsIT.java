package io.dualsync.it;

import io.dualsync.apply.ApplyPreconditionException;
import io.dualsync.apply.ApplyService;
import io.dualsync.contract.BookkeepingTables;
import io.dualsync.launcher.Startup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The apply user's least privileges, against the real embedded PostgreSQL and MariaDB: a user with
 * exactly the grants the README lists starts apply; a user missing one of them, one at a time,
 * is refused before apply starts, with a message that names the privilege, the table and the
 * GRANT statement that fixes it. {@code DELETE} is not needed with {@code deletes: ignore}.
 */
class ApplyGrantsIT {

    private static final List<String> TABLE_PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE");
    /** Its own map name, so its topics and consumer groups are no other test's. */
    private static final String MAP = SharedInfrastructure.uniqueName("articles");

    @TempDir
    static Path dir;

    static String sourceUrl;
    static String pgTargetUrl;
    static String pgTargetDatabase;
    static String mariaTargetUrl;
    static String mariaTargetDatabase;

    @BeforeAll
    static void createDatabases() throws Exception {
        var infra = SharedInfrastructure.get();
        sourceUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("grants_src"));
        pgTargetDatabase = SharedInfrastructure.uniqueName("grants_pg");
        pgTargetUrl = infra.postgres().createDatabase(pgTargetDatabase);
        mariaTargetDatabase = SharedInfrastructure.uniqueName("grants_maria");
        mariaTargetUrl = infra.mariadb().createDatabase(mariaTargetDatabase);
        try (Connection source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null)) {
            exec(source, "create table item (code text primary key, label text)");
        }
        try (Connection pg = pgAdmin()) {
            exec(pg, "create schema sales");
            exec(pg, "create table sales.article (code text primary key, label text)");
            // the bookkeeping as an administrator creates it beforehand (README, "Least-privilege grants")
            for (String ddl : BookkeepingTables.postgresDdl()) {
                exec(pg, ddl);
            }
        }
        try (Connection maria = mariaAdmin()) {
            exec(maria, "CREATE TABLE article (code VARCHAR(20) PRIMARY KEY, label VARCHAR(100))");
            for (String ddl : BookkeepingTables.mariaDbDdl()) {
                exec(maria, ddl);
            }
        }
    }

    // --- PostgreSQL target ---

    @Test
    void shouldStartApplyOnPostgresWithExactlyTheDocumentedGrants() throws Exception {
        String role = pgRole("pga_all", TABLE_PRIVILEGES, true);
        startAndStop(pgConfig(role, "delete"), "pgtarget");
    }

    @Test
    void shouldRefuseAPostgresUserMissingOneTablePrivilegeNamingItsGrant() throws Exception {
        for (String missing : TABLE_PRIVILEGES) {
            List<String> granted = TABLE_PRIVILEGES.stream().filter(p -> !p.equals(missing)).toList();
            String role = pgRole("pga_no_" + missing.toLowerCase(), granted, true);

            ApplyPreconditionException refused = refusedStart(pgConfig(role, "delete"), "pgtarget");

            assertThat(refused.problems()).as(missing).containsExactly("user " + role + " lacks " + missing
                    + " on sales.article (map '" + MAP + "' writes it" + why(missing) + "): GRANT " + missing
                    + " ON \"sales\".\"article\" TO " + role);
        }
    }

    @Test
    void shouldRefuseAPostgresUserWithoutUsageOnTheTablesSchema() throws Exception {
        String role = SharedInfrastructure.uniqueName("pga_no_usage");
        try (Connection pg = pgAdmin()) {
            exec(pg, "create role " + role + " login");
            exec(pg, "grant select, insert, update, delete on sales.article to " + role);
            exec(pg, "grant usage on schema dualsync to " + role);
            exec(pg, "grant select, insert, update, delete on dualsync.apply_checkpoint, dualsync.row_state to " + role);
        }

        ApplyPreconditionException refused = refusedStart(pgConfig(role, "delete"), "pgtarget");

        assertThat(refused.problems()).containsExactly("user " + role + " lacks USAGE on schema sales (map '" + MAP
                + "' writes sales.article): GRANT USAGE ON SCHEMA \"sales\" TO " + role);
    }

    @Test
    void shouldNotNeedDeleteOnPostgresWhenDeletesAreIgnored() throws Exception {
        String role = pgRole("pga_ignore", List.of("SELECT", "INSERT", "UPDATE"), true);
        startAndStop(pgConfig(role, "ignore"), "pgtarget");
    }

    @Test
    void shouldRefuseAPostgresUserWithoutTheBookkeepingGrants() throws Exception {
        String role = pgRole("pga_no_bk", TABLE_PRIVILEGES, false);
        try (Connection pg = pgAdmin()) {
            exec(pg, "grant usage on schema dualsync to " + role);
            exec(pg, "grant select, insert, update, delete on dualsync.apply_checkpoint to " + role);
            exec(pg, "grant select, insert, update on dualsync.row_state to " + role);
        }

        ApplyPreconditionException refused = refusedStart(pgConfig(role, "delete"), "pgtarget");

        assertThat(refused.problems()).containsExactly("user " + role + " lacks DELETE on dualsync.row_state"
                + " (dualsync's bookkeeping): GRANT DELETE ON \"dualsync\".\"row_state\" TO " + role);
    }

    @Test
    void shouldRefuseAPostgresUserThatMayNotCreateTheMissingBookkeeping() throws Exception {
        String database = SharedInfrastructure.uniqueName("grants_pg_nobk");
        String url = SharedInfrastructure.get().postgres().createDatabase(database);
        String role = SharedInfrastructure.uniqueName("pga_no_create");
        try (Connection pg = DriverManager.getConnection(url, SharedInfrastructure.get().postgres().user(), null)) {
            exec(pg, "create table article (code text primary key, label text)");
            exec(pg, "create role " + role + " login");
            exec(pg, "grant select, insert, update, delete on article to " + role);
            // PostgreSQL 15+ no longer lets every user create in public; the database grants no CREATE either
        }
        Path config = config("pg-nobk-" + role, "kind: postgres, url: \"" + url + "\", user: " + role, "pgtarget.public.article", "delete");

        ApplyPreconditionException refused = refusedStart(config, "pgtarget");

        assertThat(refused.problems()).containsExactly("user " + role + " may not create the dualsync bookkeeping tables:"
                + " CREATE SCHEMA IF NOT EXISTS dualsync AUTHORIZATION " + role + " (or GRANT CREATE ON DATABASE " + database
                + " TO " + role + ")");
    }

    // --- MariaDB target ---

    @Test
    void shouldStartApplyOnMariaDbWithExactlyTheDocumentedGrants() throws Exception {
        String user = mariaUser("m_all", TABLE_PRIVILEGES);
        startAndStop(mariaConfig(user, "delete"), "mtarget");
    }

    @Test
    void shouldRefuseAMariaDbUserMissingOneTablePrivilegeNamingItsGrant() throws Exception {
        for (String missing : TABLE_PRIVILEGES) {
            List<String> granted = TABLE_PRIVILEGES.stream().filter(p -> !p.equals(missing)).toList();
            String user = mariaUser("m_no_" + missing.toLowerCase(), granted);

            ApplyPreconditionException refused = refusedStart(mariaConfig(user, "delete"), "mtarget");

            assertThat(refused.problems()).as(missing).containsExactly("user '" + user + "'@'%' lacks " + missing + " on "
                    + mariaTargetDatabase + ".article (map '" + MAP + "' writes it" + why(missing) + "): GRANT " + missing + " ON `"
                    + mariaTargetDatabase + "`.`article` TO '" + user + "'@'%'");
        }
    }

    @Test
    void shouldRefuseAMariaDbUserThatMayNotCreateTheMissingBookkeeping() throws Exception {
        String database = SharedInfrastructure.uniqueName("grants_m_nobk");
        String url = SharedInfrastructure.get().mariadb().createDatabase(database);
        String user = SharedInfrastructure.uniqueName("m_no_create");
        try (Connection maria = SharedInfrastructure.get().mariadb().adminConnection(database)) {
            exec(maria, "CREATE TABLE article (code VARCHAR(20) PRIMARY KEY, label VARCHAR(100))");
            exec(maria, "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw-" + user + "'");
            exec(maria, "GRANT SELECT, INSERT, UPDATE, DELETE ON " + database + ".article TO '" + user + "'@'%'");
        }
        Files.writeString(dir.resolve(user + ".pw"), "pw-" + user);
        Path config = config("m-nobk-" + user, "kind: mariadb, url: \"" + url + "\", user: " + user + ", passwordFile: "
                + user + ".pw, serverId: 4242", "mtarget." + "article", "delete");

        ApplyPreconditionException refused = refusedStart(config, "mtarget");

        assertThat(refused.problems()).containsExactly("user '" + user + "'@'%' may not create the dualsync bookkeeping tables:"
                + " GRANT CREATE ON `" + database + "`.`dualsync_apply_checkpoint` TO '" + user + "'@'%'; GRANT CREATE ON `"
                + database + "`.`dualsync_row_state` TO '" + user + "'@'%' (or create the two tables as an administrator,"
                + " see README \"Least-privilege grants\")");
    }

    // --- helpers ---

    private static String why(String privilege) {
        return switch (privilege) {
            case "SELECT" -> " and reads its rows to compare them";
            case "DELETE" -> " with deletes: delete";
            default -> "";
        };
    }

    private static void startAndStop(Path config, String endpoint) {
        Startup.Checked checked = Startup.loadAndCheck(config);
        try (ApplyService apply = new ApplyService(checked.config(), checked.catalog(), endpoint)) {
            apply.start();
            assertThat(apply.failure()).isEmpty();
        }
    }

    private static ApplyPreconditionException refusedStart(Path config, String endpoint) {
        Startup.Checked checked = Startup.loadAndCheck(config);
        try (ApplyService apply = new ApplyService(checked.config(), checked.catalog(), endpoint)) {
            ApplyPreconditionException refused = catchThrowableOfType(ApplyPreconditionException.class, apply::start);
            assertThat(refused).as("apply must not start").isNotNull();
            return refused;
        }
    }

    /** A login role with {@code privileges} on the mapped table and, if {@code bookkeeping}, on the bookkeeping tables. */
    private static String pgRole(String prefix, List<String> privileges, boolean bookkeeping) throws SQLException {
        String role = SharedInfrastructure.uniqueName(prefix);
        try (Connection pg = pgAdmin()) {
            exec(pg, "create role " + role + " login");
            exec(pg, "grant usage on schema sales to " + role);
            exec(pg, "grant " + String.join(", ", privileges) + " on sales.article to " + role);
            if (bookkeeping) {
                exec(pg, "grant usage on schema dualsync to " + role);
                exec(pg, "grant select, insert, update, delete on dualsync.apply_checkpoint, dualsync.row_state to " + role);
            }
        }
        return role;
    }

    private static String mariaUser(String prefix, List<String> privileges) throws Exception {
        String user = SharedInfrastructure.uniqueName(prefix);
        try (Connection maria = mariaAdmin()) {
            exec(maria, "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw-" + user + "'");
            exec(maria, "GRANT " + String.join(", ", privileges) + " ON " + mariaTargetDatabase + ".article TO '" + user + "'@'%'");
            for (String table : List.of("dualsync_apply_checkpoint", "dualsync_row_state")) {
                exec(maria, "GRANT SELECT, INSERT, UPDATE, DELETE ON " + mariaTargetDatabase + "." + table + " TO '" + user + "'@'%'");
            }
        }
        Files.writeString(dir.resolve(user + ".pw"), "pw-" + user);
        return user;
    }

    private static Path pgConfig(String role, String deletes) throws Exception {
        return config("pg-" + role, "kind: postgres, url: \"" + pgTargetUrl + "\", user: " + role, "pgtarget.sales.article", deletes);
    }

    private static Path mariaConfig(String user, String deletes) throws Exception {
        return config("m-" + user, "kind: mariadb, url: \"" + mariaTargetUrl + "\", user: " + user + ", passwordFile: " + user
                + ".pw, serverId: 4242", "mtarget.article", deletes);
    }

    /** One map from the shared source table into {@code targetTable} of an endpoint written as {@code target}. */
    private static Path config(String name, String target, String targetTable, String deletes) throws Exception {
        var infra = SharedInfrastructure.get();
        String endpoint = targetTable.substring(0, targetTable.indexOf('.'));
        return Files.writeString(dir.resolve(name + ".yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-applygrantsit }
                registry: { url: "%s" }
                endpoints:
                  grantsrc: { kind: postgres, url: "%s", user: %s }
                  %s: { %s }
                maps:
                  - name: %s
                    a: grantsrc.public.item
                    b: %s
                    key: [ { a: code, b: code } ]
                    fields:
                      - { a: code,  b: code }
                      - { a: label, b: label }
                    deletes: %s
                """.formatted(infra.bootstrapServers(), infra.registry().url(), sourceUrl, infra.postgres().user(),
                endpoint, target, MAP, targetTable, deletes));
    }

    private static Connection pgAdmin() throws SQLException {
        return DriverManager.getConnection(pgTargetUrl, SharedInfrastructure.get().postgres().user(), null);
    }

    private static Connection mariaAdmin() throws SQLException {
        return SharedInfrastructure.get().mariadb().adminConnection(mariaTargetDatabase);
    }
}
