package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local stack of {@code deploy/compose.yaml}, minus Docker: the SQL of
 * {@code deploy/compose/postgres-init.sh} (databases, least-privilege users and grants) runs on
 * the shared PostgreSQL, and {@code deploy/config/local-stack.yaml}, pointed at the shared broker,
 * registry and databases, runs the whole pipeline. So the users the compose stack (and the
 * README's grant list) gives dualsync are proven to be enough: no superuser, capture with only
 * REPLICATION and SELECT (the publication made by the table owner), apply with only SELECT,
 * INSERT, UPDATE, DELETE on its table and CREATE on its database for the bookkeeping schema.
 * Names are made unique (the PostgreSQL server is shared); nothing else in the files changes.
 */
class ComposeStackGrantsIT {

    private static final Path DEPLOY = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .resolve("../deploy").normalize();

    @TempDir
    static Path dir;

    static String crm;
    static String erp;
    static String slot;
    static ServiceHost host;

    @BeforeAll
    static void createTheStackDatabasesAndStartThePipeline() throws Exception {
        var infra = SharedInfrastructure.get();
        var pg = infra.postgres();
        crm = SharedInfrastructure.uniqueName("crm");
        erp = SharedInfrastructure.uniqueName("erp");
        String captureUser = SharedInfrastructure.uniqueName("dualsync_capture");
        String applyUser = SharedInfrastructure.uniqueName("dualsync_apply");
        slot = SharedInfrastructure.uniqueName("dualsync_crm");

        List<String> blocks = sqlBlocks(Files.readString(DEPLOY.resolve("compose/postgres-init.sh")));
        assertThat(blocks).hasSize(3);
        List<String> databases = List.of("postgres", crm, erp);
        for (int i = 0; i < blocks.size(); i++) {
            String sql = blocks.get(i)
                    .replace(":'capture_password'", "'capture-password'").replace(":'apply_password'", "'apply-password'")
                    .replace("dualsync_capture", captureUser).replace("dualsync_apply", applyUser)
                    .replaceAll("\\bcrm\\b", crm).replaceAll("\\berp\\b", erp);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(databases.get(i)), pg.user(), null);
                 Statement s = c.createStatement()) {
                // one statement at a time, as psql sends them: CREATE DATABASE refuses a multi-statement query
                for (String statement : sql.replaceAll("(?m)^\\s*--.*$", "").split(";\\s*(\\n|$)")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(crm), pg.user(), null); Statement s = c.createStatement()) {
            s.execute("insert into account (account_number, name, credit_limit) values ('1000', 'Snapshot row', 1234.5678901234)");
        }

        // Only addresses, user names and password paths change (by text: a YAML library would read
        // the column name `no` as a boolean); every key stays as the compose stack has it.
        Path password = Files.writeString(dir.resolve("password"), "trusted-locally\n");
        String config = Files.readString(DEPLOY.resolve("config/local-stack.yaml"));
        Map<String, String> replacements = new LinkedHashMap<>();
        // its own Streams application id and groups: other tests' maps of the same names made
        // internal topics with another partition count on this shared broker
        replacements.put("bootstrap: kafka:9092", "bootstrap: " + infra.bootstrapServers()
                + "\n  applicationId: " + SharedInfrastructure.uniqueName("compose-stack"));
        replacements.put("url: http://registry:8080", "url: " + infra.registry().url());
        replacements.put("jdbc:postgresql://postgres:5432/crm", pg.jdbcUrl(crm));
        replacements.put("jdbc:postgresql://postgres:5432/erp", pg.jdbcUrl(erp));
        replacements.put("user: dualsync_capture", "user: " + captureUser);
        replacements.put("user: dualsync_apply", "user: " + applyUser);
        // slots are per server, not per database: give this one a name no other test uses
        replacements.put("passwordFile: /run/secrets/capture_password", "passwordFile: " + password + "\n    slot: " + slot);
        replacements.put("passwordFile: /run/secrets/apply_password", "passwordFile: " + password);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            assertThat(config).as("local-stack.yaml").contains(r.getKey());
            config = config.replace(r.getKey(), r.getValue());
        }
        Path file = Files.writeString(dir.resolve("local-stack.yaml"), config);

        Startup.Checked checked = Startup.loadAndCheck(file);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stopAndDropTheSlot() throws Exception {
        if (host != null) {
            host.close();
        }
        var pg = SharedInfrastructure.get().postgres();
        // as the superuser: the capture user may drop its slot, but not the owner's publication
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(crm), pg.user(), null); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
            }
            return true;
        });
    }

    @Test
    void shouldSyncSnapshotInsertUpdateAndDeleteWithTheComposeStacksLeastPrivilegeUsers() throws Exception {
        awaitCustomer("1000", "Snapshot row", new BigDecimal("1234.5678901234"));
        crm("insert into account (account_number, name, credit_limit) values ('1001', 'Live row', 0.0000000001)");
        awaitCustomer("1001", "Live row", new BigDecimal("0.0000000001"));
        crm("update account set name = 'Renamed' where account_number = '1000'");
        awaitCustomer("1000", "Renamed", new BigDecimal("1234.5678901234"));
        crm("delete from account where account_number = '1001'");
        await().atMost(Duration.ofSeconds(60)).until(() -> customer("1001").isEmpty());
        assertThat(host.firstFailure()).isEmpty();
    }

    private static void awaitCustomer(String no, String name, BigDecimal creditLimit) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(customer(no)).containsExactly(name, creditLimit.setScale(10).toPlainString());
        });
    }

    private static List<String> customer(String no) throws SQLException {
        var pg = SharedInfrastructure.get().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(erp), pg.user(), null);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select name, credit_limit::text from customer where no = '" + no + "'")) {
            List<String> row = new ArrayList<>();
            if (r.next()) {
                row.add(r.getString(1));
                row.add(r.getString(2));
            }
            return row;
        }
    }

    private static void crm(String sql) throws SQLException {
        var pg = SharedInfrastructure.get().postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(crm), pg.user(), null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The bodies of the script's {@code <<'SQL' ... SQL} here-documents, in order. */
    private static List<String> sqlBlocks(String script) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("<<'SQL'\\n(.*?)\\nSQL\\n", Pattern.DOTALL).matcher(script);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }
}
