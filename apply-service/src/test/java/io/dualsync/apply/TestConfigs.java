package io.dualsync.apply;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.CompanyFilter;
import io.dualsync.config.ConflictPolicy;
import io.dualsync.config.DeletePolicy;
import io.dualsync.config.Direction;
import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.FieldMap;
import io.dualsync.config.FieldTransform;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.KeyField;
import io.dualsync.config.RegistrySettings;
import io.dualsync.config.RowFilter;
import io.dualsync.config.Secret;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dualsync.apply.Tables.column;

/** The design.md example, by hand: crm.public.account (A) and erp.public.customer (B). */
final class TestConfigs {

    static final TableSchema ACCOUNT = new TableSchema(new TableRef("crm", "public", "account"), List.of(
            column("id", Kind.INT64, "int8"),
            column("account_number", Kind.STRING, "text"),
            column("name", Kind.STRING, "text"),
            column("credit_limit", Kind.DECIMAL, "numeric"),
            column("internal_note", Kind.STRING, "text")),
            List.of("id"), List.of(List.of("account_number")));

    static final TableSchema CUSTOMER = new TableSchema(new TableRef("erp", "public", "customer"), List.of(
            column("no", Kind.STRING, "text"),
            column("credit_limit", Kind.DECIMAL, "numeric"),
            column("country", Kind.STRING, "text"),
            column("name", Kind.STRING, "text"),
            column("blocked", Kind.BOOLEAN, "bool")),
            List.of("no"), List.of());

    static final Catalog CATALOG = new Catalog(Map.of(ACCOUNT.ref(), ACCOUNT, CUSTOMER.ref(), CUSTOMER));

    private TestConfigs() {
    }

    static TableMap customers(Direction direction) {
        return new TableMap("customers", ACCOUNT.ref(), CUSTOMER.ref(), direction,
                List.of(new KeyField("account_number", "no")),
                List.of(field("name", "name"), field("credit_limit", "credit_limit"),
                        new FieldMap(Optional.empty(), Optional.of("country"), Map.of(), FieldTransform.NONE,
                                new FieldTransform(Optional.empty(), Optional.of("US"), Optional.empty()))),
                RowFilter.ALL, RowFilter.ALL, CompanyFilter.NONE, ConflictPolicy.FAIL, DeletePolicy.DELETE);
    }

    static SyncConfig config(EndpointKind erpKind, TableMap... maps) {
        return new SyncConfig(Path.of("dualsync.yaml"), new KafkaSettings("localhost:9092", Map.of(), 1, (short) 1),
                new RegistrySettings("http://localhost:8080"),
                Map.of("crm", endpoint("crm", EndpointKind.POSTGRES), "erp", endpoint("erp", erpKind)),
                List.of(maps));
    }

    private static Endpoint endpoint(String name, EndpointKind kind) {
        return new Endpoint(name, kind, "jdbc:postgresql://localhost:5432/" + name, "sync",
                new Secret("pw", "env TEST"), "dualsync_" + name, "dualsync_" + name, Optional.empty(), null);
    }

    private static FieldMap field(String a, String b) {
        return new FieldMap(Optional.of(a), Optional.of(b), Map.of(), FieldTransform.NONE, FieldTransform.NONE);
    }
}
