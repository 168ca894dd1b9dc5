package io.dualsync.catalog;

import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** On a MariaDB target the map's key must be the only unique index: ON DUPLICATE KEY fires on any. */
class MariaDbUniqueIndexRuleTest {

    @TempDir
    Path dir;

    private static final TableSchema ACCOUNT = new TableSchema(new TableRef("crm", "crm", "account"),
            List.of(col("account_number", Kind.STRING), col("email", Kind.STRING)), List.of("account_number"), List.of());

    @Test
    void shouldRefuseAMariaDbTargetWithAnotherUniqueIndexAndNameTheIndexAndTheFix() throws Exception {
        TableSchema customer = customer(List.of("no"), List.of(List.of("email")));

        List<String> problems = problems(customer);

        assertThat(problems).singleElement().asString()
                .contains("erp.customer has unique index (email) besides the map's key (no)")
                .contains("fires on any unique index")
                .contains("key the map on (email) if that is the row's identity, or make that index non-unique");
    }

    @Test
    void shouldRefuseAPrimaryKeyThatIsNotTheMapKey() throws Exception {
        TableSchema customer = customer(List.of("id"), List.of(List.of("no")));

        assertThat(problems(customer)).singleElement().asString().contains("has the primary key (id) besides the map's key (no)");
    }

    @Test
    void shouldAcceptAMariaDbTargetWhoseOnlyUniqueIndexIsTheKey() throws Exception {
        assertThat(problems(customer(List.of("no"), List.of()))).isEmpty();
    }

    private List<String> problems(TableSchema customer) throws Exception {
        Path file = Files.writeString(dir.resolve("sync.yaml"), """
                kafka: { bootstrap: localhost:9092 }
                registry: { url: http://localhost:8080 }
                endpoints:
                  crm: { kind: postgres, url: "jdbc:postgresql://localhost:5432/crm", user: sync }
                  erp: { kind: mariadb, url: "jdbc:mariadb://localhost:3306/erp", user: sync, serverId: 5401 }
                maps:
                  - name: customers
                    a: crm.crm.account
                    b: erp.customer
                    direction: a-to-b
                    key: [ { a: account_number, b: no } ]
                    fields:
                      - { a: email, b: email }
                """);
        SyncConfig config = ConfigLoader.load(file, Map.of());
        Catalog catalog = new Catalog(Map.of(ACCOUNT.ref(), ACCOUNT, customer.ref(), customer));
        return CatalogValidator.check(config, catalog).stream().map(CatalogProblem::toString).toList();
    }

    private static TableSchema customer(List<String> primaryKey, List<List<String>> unique) {
        return new TableSchema(new TableRef("erp", "erp", "customer"),
                List.of(col("id", Kind.INT64), col("no", Kind.STRING), col("email", Kind.STRING)), primaryKey, unique);
    }

    private static Column col(String name, Kind kind) {
        return new Column(name, SqlType.of(kind, kind == Kind.STRING ? "varchar" : "bigint"), true);
    }
}
