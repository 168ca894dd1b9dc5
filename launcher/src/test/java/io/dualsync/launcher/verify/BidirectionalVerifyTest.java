package io.dualsync.launcher.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.launcher.DualsyncCommand;
import io.dualsync.launcher.infra.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dualsync verify} on a bidirectional map over two real PostgreSQL databases filled by hand
 * (no pipeline needed to check the comparison): both directions are verified, each through its
 * own mapping (prefix added one way, stripped the other; value map inverted), each side's company
 * scope decides what it expects, and a row on one side only is reported once, as missing on the
 * other side.
 */
class BidirectionalVerifyTest {

    @TempDir
    static Path dir;

    static EmbeddedPostgres postgres;
    static Path config;

    @BeforeAll
    static void fillBothSides() throws Exception {
        postgres = EmbeddedPostgres.start();
        String crm = postgres.createDatabase("bidi_crm");
        String erp = postgres.createDatabase("bidi_erp");
        exec(crm, "create table account (account_number int primary key, name text, status text, company text)",
                "insert into account values (1001, 'Ann', 'active', 'US'), (1002, 'Bob', 'inactive', 'US'),"
                        + " (1003, 'Dan', 'active', 'DE')");
        exec(erp, "create table customer (no varchar(20) primary key, name text, blocked text, company_code text, note text)",
                "insert into customer values ('C-1001', 'Ann', '', 'US', 'unmapped'), ('C-1002', 'Bobby', 'all', 'US', null),"
                        + " ('C-2001', 'Eve', '', 'US', null), ('C-3001', 'Zed', '', 'DE', null)");
        config = Files.writeString(dir.resolve("bidi.yaml"), """
                kafka: { bootstrap: "localhost:9" }
                registry: { url: "http://localhost:9" }
                endpoints:
                  crm: { kind: postgres, url: "%s", user: %s }
                  erp: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: customers
                    a: crm.public.account
                    b: erp.public.customer
                    direction: bidirectional
                    key: [ { a: account_number, b: no } ]
                    fields:
                      - { a: account_number, b: no, toB: { prefix: "C-" } }
                      - { a: name, b: name }
                      - { a: status, b: blocked, values: { active: "", inactive: "all" } }
                    companies: { a: company, b: company_code, include: [ "US" ] }
                """.formatted(crm, postgres.user(), erp, postgres.user()));
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void shouldVerifyBothDirectionsEachThroughItsOwnMappingAndScope() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DualsyncCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("verify", "--config", config.toString(), "--map", "customers", "--json");

        assertThat(exit).as(err.toString()).isEqualTo(1);
        JsonNode directions = new ObjectMapper().readTree(out.toString()).get("directions");
        JsonNode aToB = directions.get(0);
        JsonNode bToA = directions.get(1);
        assertThat(aToB.get("direction").asText()).isEqualTo("a-to-b");
        assertThat(aToB.get("sourceRowsInScope").asLong()).isEqualTo(2);
        assertThat(keys(aToB, "differing", "targetKey")).containsExactly("[\"C-1002\"]");
        assertThat(keys(aToB, "missingOnTarget", "targetKey")).isEmpty();
        // C-2001 and C-3001 have no row on a: reported by b-to-a (C-2001), or out of scope (C-3001)
        assertThat(keys(aToB, "extraOnTarget", "targetKey")).isEmpty();

        assertThat(bToA.get("direction").asText()).isEqualTo("b-to-a");
        assertThat(bToA.get("sourceRowsInScope").asLong()).isEqualTo(3);
        assertThat(keys(bToA, "missingOnTarget", "targetKey")).containsExactly("[\"2001\"]");
        assertThat(keys(bToA, "missingOnTarget", "sourceKey")).containsExactly("[\"C-2001\"]");
        assertThat(keys(bToA, "differing", "targetKey")).containsExactly("[\"1002\"]");
    }

    private static List<String> keys(JsonNode direction, String category, String field) {
        List<String> keys = new ArrayList<>();
        direction.get("differences").get(category).get("keys").forEach(k -> keys.add(k.get(field).asText()));
        return keys;
    }

    private static void exec(String url, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(url, postgres.user(), null); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
