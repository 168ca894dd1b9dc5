package io.dualsync.transform;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration and catalog the topology tests run on: the design's CRM/ERP example. CRM
 * ({@code crm}, PostgreSQL, timestamps meant in Europe/Berlin) has {@code public.account} with
 * primary key {@code id}; ERP ({@code erp}, MariaDB, UTC) has {@code erp.customer} with primary
 * key {@code no}. The map {@code customers} couples them by account number with the field maps
 * of design.md. Tests change one thing with the {@code with...} methods.
 */
final class Fixture {

    static final TableRef ACCOUNT = new TableRef("crm", "public", "account");
    static final TableRef CUSTOMER = new TableRef("erp", "erp", "customer");
    static final TableRef CONTACT = new TableRef("crm", "public", "contact");

    static final TableSchema ACCOUNT_TABLE = table(ACCOUNT, List.of("id"),
            column("id", SqlType.of(Kind.INT64, "bigint")),
            column("account_number", varchar(20)),
            column("name", text()),
            column("credit_limit", SqlType.decimal(38, 10, "numeric")),
            column("status", text()),
            column("relationship_type", text()),
            column("company_id", text()),
            column("segment", text()),
            column("created_at", new SqlType(Kind.TIMESTAMP, 6, 0, "timestamp")),
            column("notes", text()));

    static final TableSchema CUSTOMER_TABLE = table(CUSTOMER, List.of("no"),
            column("no", varchar(20)),
            column("customer_name", varchar(100)),
            column("credit_limit", SqlType.decimal(38, 10, "decimal")),
            column("blocked", varchar(10)),
            column("company_code", varchar(20)),
            column("country", varchar(2)),
            column("segment", varchar(10)),
            column("created", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp")),
            column("internal_note", text()));

    /** A second table on the CRM side, for a map that reads the account table a second time. */
    static final TableSchema CONTACT_TABLE = table(CONTACT, List.of("account_no"),
            column("account_no", varchar(20)),
            column("display_name", text()));

    /** A person of the CRM, whose company is an account (by the account's generated id). */
    static final TableRef PERSON = new TableRef("crm", "public", "person");
    /** A person of the ERP, whose company is a customer (by the customer's number). */
    static final TableRef ERP_PERSON = new TableRef("erp", "erp", "person");

    static final TableSchema PERSON_TABLE = table(PERSON, List.of("email"),
            column("email", varchar(100)),
            column("full_name", text()),
            column("account_id", SqlType.of(Kind.INT64, "bigint")));

    static final TableSchema ERP_PERSON_TABLE = table(ERP_PERSON, List.of("email"),
            column("email", varchar(100)),
            column("name", varchar(100)),
            column("customer_no", varchar(20)));

    private final List<TableMap> maps = new ArrayList<>();
    private final Map<TableRef, TableSchema> tables = new LinkedHashMap<>();

    private Fixture(TableMap map) {
        maps.add(map);
        tables.put(ACCOUNT, ACCOUNT_TABLE);
        tables.put(CUSTOMER, CUSTOMER_TABLE);
        tables.put(CONTACT, CONTACT_TABLE);
    }

    /** The {@code customers} map of design.md, bidirectional, with no filters. */
    static Fixture customers() {
        return new Fixture(customersMap());
    }

    static TableMap customersMap() {
        return new TableMap("customers", ACCOUNT, CUSTOMER, Direction.BIDIRECTIONAL,
                List.of(new KeyField("account_number", "no")),
                List.of(
                        field("name", "customer_name"),
                        field("credit_limit", "credit_limit"),
                        new FieldMap(Optional.of("status"), Optional.of("blocked"),
                                Map.of("active", "", "inactive", "all"), FieldTransform.NONE, FieldTransform.NONE),
                        new FieldMap(Optional.of("account_number"), Optional.of("no"), Map.of(),
                                FieldTransform.NONE, prefix("C-")),
                        new FieldMap(Optional.empty(), Optional.of("country"), Map.of(),
                                FieldTransform.NONE, new FieldTransform(Optional.empty(), Optional.of("US"), Optional.empty())),
                        new FieldMap(Optional.of("segment"), Optional.of("segment"), Map.of(),
                                FieldTransform.NONE, new FieldTransform(Optional.empty(), Optional.empty(), Optional.of("retail"))),
                        field("created_at", "created"),
                        field("company_id", "company_code")),
                RowFilter.ALL, RowFilter.ALL, CompanyFilter.NONE, ConflictPolicy.FAIL, DeletePolicy.DELETE);
    }

    Fixture withDirection(Direction direction) {
        return replace(m -> new TableMap(m.name(), m.a(), m.b(), direction, m.key(), m.fields(), m.filterA(),
                m.filterB(), m.companies(), m.conflicts(), m.deletes()));
    }

    Fixture withConflicts(ConflictPolicy conflicts) {
        return replace(m -> new TableMap(m.name(), m.a(), m.b(), m.direction(), m.key(), m.fields(), m.filterA(),
                m.filterB(), m.companies(), conflicts, m.deletes()));
    }

    Fixture withKeyMatching(io.dualsync.config.KeyMatching matching) {
        return replace(m -> new TableMap(m.name(), m.a(), m.b(), m.direction(), m.key(), m.fields(), m.filterA(),
                m.filterB(), m.companies(), m.conflicts(), m.deletes(), m.initialSyncWinner(), matching));
    }

    Fixture withFilters(RowFilter a, RowFilter b) {
        return replace(m -> new TableMap(m.name(), m.a(), m.b(), m.direction(), m.key(), m.fields(), a, b,
                m.companies(), m.conflicts(), m.deletes()));
    }

    Fixture withLeavesScope(io.dualsync.config.LeavesScope leavesScope) {
        return replace(m -> new TableMap(m.name(), m.a(), m.b(), m.direction(), m.key(), m.fields(), m.filterA(),
                m.filterB(), m.companies(), m.conflicts(), m.deletes(), m.initialSyncWinner(), m.changedAt(),
                m.keyMatching(), m.onInsert(), leavesScope));
    }

    Fixture withCompanies(String... included) {
        CompanyFilter companies = new CompanyFilter(Optional.of("company_id"), Optional.of("company_code"), Arrays.asList(included));
        return replace(m -> new TableMap(m.name(), m.a(), m.b(), m.direction(), m.key(), m.fields(), m.filterA(),
                m.filterB(), companies, m.conflicts(), m.deletes()));
    }

    /** Adds a second map that reads the same CRM account table into the CRM contact table. */
    Fixture withContactsMap() {
        maps.add(new TableMap("contacts", ACCOUNT, CONTACT, Direction.A_TO_B,
                List.of(new KeyField("account_number", "account_no")),
                List.of(field("name", "display_name")),
                RowFilter.ALL, RowFilter.ALL, CompanyFilter.NONE, ConflictPolicy.FAIL, DeletePolicy.DELETE));
        return this;
    }

    /**
     * Adds the bidirectional map {@code people} (CRM person to ERP person, by email) whose company
     * is a reference to the {@code customers} map: account.id on side a, customer.no on side b.
     */
    Fixture withPeopleMap(io.dualsync.config.Reference.ParentMissing ifParentMissing, java.time.Duration maxWait) {
        tables.put(PERSON, PERSON_TABLE);
        tables.put(ERP_PERSON, ERP_PERSON_TABLE);
        io.dualsync.config.Reference company = new io.dualsync.config.Reference("customers", "id", "no", ifParentMissing, maxWait);
        maps.add(new TableMap("people", PERSON, ERP_PERSON, Direction.BIDIRECTIONAL,
                List.of(new KeyField("email", "email")),
                List.of(field("email", "email"), field("full_name", "name"),
                        new FieldMap(Optional.of("account_id"), Optional.of("customer_no"), Map.of(), FieldTransform.NONE,
                                FieldTransform.NONE, Direction.BIDIRECTIONAL, Optional.of(company))),
                RowFilter.ALL, RowFilter.ALL, CompanyFilter.NONE, ConflictPolicy.FAIL, DeletePolicy.DELETE));
        return this;
    }

    /** The {@code people} map (added before) with a filter on its CRM side, e.g. on the person's account. */
    Fixture withPeopleFilter(String filterOnA) {
        int people = maps.indexOf(maps.stream().filter(m -> m.name().equals("people")).findFirst().orElseThrow());
        TableMap m = maps.get(people);
        maps.set(people, new TableMap(m.name(), m.a(), m.b(), m.direction(), m.key(), m.fields(),
                io.dualsync.config.RowFilterParser.parse(filterOnA), m.filterB(), m.companies(), m.conflicts(), m.deletes(),
                m.initialSyncWinner(), m.changedAt(), m.keyMatching(), m.onInsert(), io.dualsync.config.LeavesScope.DELETE));
        return this;
    }

    SyncConfig config() {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        endpoints.put("crm", endpoint("crm", EndpointKind.POSTGRES, "jdbc:postgresql://localhost:5432/crm", "Europe/Berlin"));
        endpoints.put("erp", endpoint("erp", EndpointKind.MARIADB, "jdbc:mariadb://localhost:3306/erp", "UTC"));
        return new SyncConfig(Path.of("dualsync.yaml"),
                new KafkaSettings("localhost:9092", Map.of("security.protocol", "PLAINTEXT"), 3, (short) 1),
                new RegistrySettings("http://localhost:8080"), endpoints, maps);
    }

    Catalog catalog() {
        return new Catalog(tables);
    }

    static RowFilter equals(String column, String literal) {
        return new RowFilter(column + " = '" + literal + "'",
                List.of(new RowFilter.Condition(column, RowFilter.Operator.EQ, List.of(literal))));
    }

    static SqlType varchar(int length) {
        return new SqlType(Kind.STRING, length, 0, "varchar");
    }

    static SqlType text() {
        return SqlType.of(Kind.STRING, "text");
    }

    static Column column(String name, SqlType type) {
        return new Column(name, type, true);
    }

    static TableSchema table(TableRef ref, List<String> primaryKey, Column... columns) {
        return new TableSchema(ref, List.of(columns), primaryKey, List.of());
    }

    static FieldMap field(String a, String b) {
        return new FieldMap(Optional.of(a), Optional.of(b), Map.of(), FieldTransform.NONE, FieldTransform.NONE);
    }

    private static FieldTransform prefix(String prefix) {
        return new FieldTransform(Optional.of(prefix), Optional.empty(), Optional.empty());
    }

    private static Endpoint endpoint(String name, EndpointKind kind, String url, String zone) {
        return new Endpoint(name, kind, url, "sync", new Secret("secret", "test"), "dualsync_" + name,
                "dualsync_" + name, Optional.empty(), zone);
    }

    private Fixture replace(java.util.function.UnaryOperator<TableMap> change) {
        maps.set(0, change.apply(maps.get(0)));
        return this;
    }
}
