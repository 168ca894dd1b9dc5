package io.dualsync.it;

import io.dualsync.launcher.DualsyncCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dualsync validate}: the config and the live catalog are checked before anything runs,
 * every problem is listed, and the exit code tells a script whether it may go on.
 */
class ValidateCommandIT {

    @TempDir
    static Path dir;
    static String crmUrl;
    static String erpUrl;
    static String user;

    @BeforeAll
    static void createDatabases() throws Exception {
        var pg = SharedInfrastructure.get().postgres();
        crmUrl = pg.createDatabase("validate_crm");
        erpUrl = pg.createDatabase("validate_erp");
        user = pg.user();
        try (Connection c = DriverManager.getConnection(crmUrl, user, null); Statement s = c.createStatement()) {
            s.execute("create table account (id int primary key, account_number text not null unique, name text)");
        }
        try (Connection c = DriverManager.getConnection(erpUrl, user, null); Statement s = c.createStatement()) {
            s.execute("create table customer (no text, name text)"); // no key on the target column
        }
    }

    @Test
    void shouldExitZeroForAConfigThatMatchesTheDatabases() throws Exception {
        try (Connection c = DriverManager.getConnection(erpUrl, user, null); Statement s = c.createStatement()) {
            s.execute("create table if not exists customer_ok (no text primary key, name text)");
        }
        Result r = validate(config("erp.public.customer_ok", "name"));
        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.out).contains("is valid");
    }

    @Test
    void shouldListEveryLiveCatalogProblemAndExitOne() throws Exception {
        Result r = validate(config("erp.public.customer", "nmae"));
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("2 catalog problem(s)")
                .contains("'nmae' does not exist").contains("similar columns: name")
                .contains("not the primary key or a unique index");
    }

    @Test
    void shouldNameFileLineAndKeyOfAConfigErrorAndExitOne() throws Exception {
        Path file = Files.writeString(dir.resolve("typo.yaml"), """
                kafka: { bootstrap: "localhost:9092" }
                registry: { url: "http://localhost:8080" }
                endpoints:
                  crm: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: customers
                    a: crm.public.account
                    b: crm.public.account
                    direction: sideways
                    key: [ { a: account_number, b: account_number } ]
                    fields: [ { a: name, b: name } ]
                """.formatted(crmUrl, user));
        Result r = validate(file);
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err).contains("typo.yaml:9").contains("direction").contains("bidirectional");
    }

    private Path config(String target, String targetNameColumn) throws Exception {
        return Files.writeString(dir.resolve("sync-" + target + targetNameColumn + ".yaml"), """
                kafka: { bootstrap: "localhost:9092" }
                registry: { url: "http://localhost:8080" }
                endpoints:
                  crm: { kind: postgres, url: "%s", user: %s }
                  erp: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: customers
                    a: crm.public.account
                    b: %s
                    key: [ { a: account_number, b: no } ]
                    fields:
                      - { a: account_number, b: no }
                      - { a: name, b: %s }
                """.formatted(crmUrl, user, erpUrl, user, target, targetNameColumn));
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result validate(Path config) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("validate", "--config", config.toString());
        return new Result(exit, out.toString(), err.toString());
    }
}
