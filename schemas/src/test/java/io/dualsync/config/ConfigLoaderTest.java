package io.dualsync.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {

    private static final Map<String, String> ENV = Map.of("CRM_PASSWORD", "crm-secret", "ERP_PASSWORD", "erp-secret");

    /** Lines 1-12 of every case; a case appends keys of the one map from line 13 on. */
    private static final String HEADER = """
            kafka: { bootstrap: localhost:9092 }
            registry: { url: http://localhost:8080 }
            endpoints:
              crm: { kind: postgres, url: jdbc:postgresql://localhost:5432/crm, user: sync, passwordEnv: CRM_PASSWORD }
              erp: { kind: mariadb, url: jdbc:mariadb://localhost:3306/erp, user: sync, passwordEnv: ERP_PASSWORD, serverId: 101 }
            maps:
              - name: customers
                a: crm.public.account
                b: erp.customer
                key: [ { a: account_number, b: no } ]
                fields:
                  - { a: name, b: name }
            """;

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("crm-erp.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Asserts the exact problems, each written as {@code line:column: rest} after the file name. */
    private void assertProblems(String yaml, String... expected) throws IOException {
        Path file = write(yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, ENV));
        assertThat(e).as("expected problems, but the config loaded").isNotNull();
        assertThat(e.problems()).map(ConfigProblem::toString)
                .containsExactlyElementsOf(Arrays.stream(expected).map(p -> file + ":" + p).toList());
    }

    private SyncConfig load(String yaml) throws IOException {
        return ConfigLoader.load(write(yaml), ENV);
    }

    // --- a valid file ---

    @Test
    void shouldReadTheDesignExampleIntoTheExpectedRecords() throws IOException {
        Files.writeString(dir.resolve("erp.pw"), "erp-from-file\n");
        SyncConfig config = load("""
                kafka:    { bootstrap: localhost:9092 }
                registry: { url: http://localhost:8080 }   # Apicurio Registry
                endpoints:
                  crm: { kind: postgres, url: jdbc:postgresql://localhost:5432/crm, user: sync, passwordEnv: CRM_PASSWORD }
                  erp: { kind: mariadb,  url: jdbc:mariadb://localhost:3306/erp,    user: sync, passwordFile: erp.pw, serverId: 101 }
                maps:
                  - name: customers
                    a: crm.public.account
                    b: erp.customer
                    direction: bidirectional          # a-to-b | b-to-a | bidirectional
                    key:    [ { a: account_number, b: no } ]
                    fields:
                      - { a: name,        b: name }
                      - { a: credit_limit, b: credit_limit }              # decimal(38,10), exact
                      - { a: status,      b: blocked, values: { active: "", inactive: "all" } }
                      - { a: account_number, b: no, toB: { prefix: "C-" } }
                    filter:    { a: "relationship_type = 'customer'" , b: "blocked = ''" }
                    companies: { a: company_id, b: company_code, include: [ "CRONUS-US" ] }
                    conflicts: fail                   # fail | crm-wins | erp-wins | latest-wins
                    deletes:   delete                 # delete | ignore | soft: <column>
                """);

        assertThat(config.source()).isEqualTo(dir.resolve("crm-erp.yaml"));
        assertThat(config.kafka()).isEqualTo(new KafkaSettings("localhost:9092", Map.of(), 1, (short) 1));
        assertThat(config.registry()).isEqualTo(new RegistrySettings("http://localhost:8080"));
        assertThat(config.endpoints().keySet()).containsExactly("crm", "erp");
        Endpoint crm = config.endpoint("crm");
        assertThat(crm).isEqualTo(new Endpoint("crm", EndpointKind.POSTGRES, "jdbc:postgresql://localhost:5432/crm", "sync",
                new Secret("crm-secret", "env CRM_PASSWORD"), "dualsync_crm", "dualsync_crm", Optional.empty(), "UTC"));
        assertThat(config.endpoint("erp").password().value()).isEqualTo("erp-from-file");
        assertThat(config.endpoint("erp").password().origin()).isEqualTo("file " + dir.resolve("erp.pw"));

        TableMap customers = config.map("customers").orElseThrow();
        FieldTransform prefixC = new FieldTransform(Optional.of("C-"), Optional.empty(), Optional.empty());
        assertThat(customers).isEqualTo(new TableMap("customers",
                new TableRef("crm", "public", "account"),
                new TableRef("erp", "erp", "customer"),
                Direction.BIDIRECTIONAL,
                List.of(new KeyField("account_number", "no")),
                List.of(field("name", "name"),
                        field("credit_limit", "credit_limit"),
                        new FieldMap(Optional.of("status"), Optional.of("blocked"), Map.of("active", "", "inactive", "all"),
                                FieldTransform.NONE, FieldTransform.NONE),
                        new FieldMap(Optional.of("account_number"), Optional.of("no"), Map.of(), FieldTransform.NONE, prefixC)),
                new RowFilter("relationship_type = 'customer'",
                        List.of(new RowFilter.Condition("relationship_type", RowFilter.Operator.EQ, List.of("customer")))),
                new RowFilter("blocked = ''", List.of(new RowFilter.Condition("blocked", RowFilter.Operator.EQ, List.of("")))),
                new CompanyFilter(Optional.of("company_id"), Optional.of("company_code"), List.of("CRONUS-US")),
                ConflictPolicy.FAIL,
                DeletePolicy.DELETE));
    }

    private static FieldMap field(String a, String b) {
        return new FieldMap(Optional.of(a), Optional.of(b), Map.of(), FieldTransform.NONE, FieldTransform.NONE);
    }

    @Test
    void shouldApplyTheDocumentedDefaults() throws IOException {
        SyncConfig config = load(HEADER.replace("crm: {", "crm-eu: {").replace("crm.public.account", "crm-eu.account"));

        TableMap map = config.maps().getFirst();
        assertThat(map.direction()).isEqualTo(Direction.A_TO_B);
        assertThat(map.conflicts()).isEqualTo(ConflictPolicy.FAIL);
        assertThat(map.deletes()).isEqualTo(DeletePolicy.DELETE);
        assertThat(map.filterA()).isEqualTo(RowFilter.ALL);
        assertThat(map.filterB()).isEqualTo(RowFilter.ALL);
        assertThat(map.companies()).isEqualTo(CompanyFilter.NONE);
        assertThat(map.a()).isEqualTo(new TableRef("crm-eu", "public", "account"));
        Endpoint crm = config.endpoint("crm-eu");
        assertThat(crm.slot()).isEqualTo("dualsync_crm_eu");
        assertThat(crm.publication()).isEqualTo("dualsync_crm_eu");
        assertThat(crm.serverId()).isEmpty();
        assertThat(crm.timezone()).isEqualTo("UTC");
        assertThat(config.kafka().topicPartitions()).isEqualTo(1);
        assertThat(config.kafka().replicationFactor()).isEqualTo((short) 1);
        assertThat(config.kafka().properties()).isEmpty();
    }

    @Test
    void shouldAddAKeyPairThatIsNotListedUnderFieldsAsAPlainField() throws IOException {
        TableMap map = load(HEADER).maps().getFirst();

        assertThat(map.fields()).containsExactly(field("name", "name"), field("account_number", "no"));
    }

    @Test
    void shouldReadEverySettingWhenGiven() throws IOException {
        Files.writeString(dir.resolve("empty.pw"), "");
        SyncConfig config = load("""
                kafka:
                  bootstrap: k1:9092,k2:9092
                  partitions: 6
                  replicationFactor: 3
                  properties: { security.protocol: SSL, linger.ms: 5 }
                registry: { url: https://registry.example.com/ }
                endpoints:
                  crm: { kind: postgres, url: jdbc:postgresql://db/crm, user: sync, slot: crm_slot, publication: crm_pub, timezone: Europe/Berlin }
                  erp: { kind: mariadb, url: jdbc:mariadb://db/erp, user: sync, serverId: 184054, passwordFile: empty.pw }
                maps:
                  - name: contacts_1
                    a: crm.sales.contact
                    b: erp.erp.contact
                    direction: b-to-a
                    key: [ { a: id, b: id } ]
                    fields:
                      - { a: country, toA: { constant: US, default: XX, prefix: "" } }
                      - { a: kind, b: type, values: { "1": person, "2": company } }
                    filter: { b: "type IN (1, 2) and \\"Name\\" is not null" }
                    companies: { b: company, include: [ A, B ] }
                    conflicts: latest-wins
                    deletes: { soft: deleted_at }
                  - name: contacts_2
                    a: crm.contact
                    b: erp.contact
                    key: [ { a: id, b: id } ]
                    fields: [ { a: id, b: id } ]
                    conflicts: erp-wins
                    deletes: ignore
                """);

        assertThat(config.kafka()).isEqualTo(new KafkaSettings("k1:9092,k2:9092",
                Map.of("security.protocol", "SSL", "linger.ms", "5"), 6, (short) 3));
        assertThat(config.registry().v3Api()).isEqualTo("https://registry.example.com/apis/registry/v3");
        Endpoint crm = config.endpoint("crm");
        assertThat(crm.password()).isNull();
        assertThat(crm.slot()).isEqualTo("crm_slot");
        assertThat(crm.publication()).isEqualTo("crm_pub");
        assertThat(crm.timezone()).isEqualTo("Europe/Berlin");
        assertThat(config.endpoint("erp").serverId()).contains(184054L);
        assertThat(config.endpoint("erp").password().value()).isEmpty();

        TableMap contacts = config.maps().get(0);
        assertThat(contacts.a()).isEqualTo(new TableRef("crm", "sales", "contact"));
        assertThat(contacts.direction()).isEqualTo(Direction.B_TO_A);
        assertThat(contacts.fields().get(0)).isEqualTo(new FieldMap(Optional.of("country"), Optional.empty(), Map.of(),
                new FieldTransform(Optional.of(""), Optional.of("US"), Optional.of("XX")), FieldTransform.NONE));
        assertThat(contacts.fields().get(1).values()).isEqualTo(Map.of("1", "person", "2", "company"));
        assertThat(contacts.filterB().conditions()).containsExactly(
                new RowFilter.Condition("type", RowFilter.Operator.IN, List.of("1", "2")),
                new RowFilter.Condition("Name", RowFilter.Operator.IS_NOT_NULL, List.of()));
        assertThat(contacts.companies()).isEqualTo(new CompanyFilter(Optional.empty(), Optional.of("company"), List.of("A", "B")));
        assertThat(contacts.conflicts()).isEqualTo(new ConflictPolicy(ConflictPolicy.Kind.LATEST_WINS, Optional.empty()));
        assertThat(contacts.deletes()).isEqualTo(new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of("deleted_at")));
        TableMap second = config.maps().get(1);
        assertThat(second.conflicts()).isEqualTo(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp")));
        assertThat(second.deletes()).isEqualTo(DeletePolicy.IGNORE);
    }

    /** HEADER's customers map made bidirectional, then a contacts map from line 14 whose fields start on line 19. */
    private static final String WITH_CONTACTS = HEADER.replace("    key: [ { a: account_number, b: no } ]",
            "    direction: bidirectional\n    key: [ { a: account_number, b: no } ]") + """
              - name: contacts
                a: crm.public.contact
                b: erp.contact
                key: [ { a: email, b: email } ]
                fields:
            """;

    @Test
    void shouldReadAReferenceWithItsDefaultsAndItsSettings() throws IOException {
        SyncConfig config = load(WITH_CONTACTS + """
                      - { a: parentcustomerid, b: company_no, ref: { map: customers, a: accountid, b: no } }
                      - { a: ownerid, b: owner_no, ref: { map: customers, a: accountid, b: no, ifParentMissing: dead-letter, maxWait: 30s } }
                """);

        List<FieldMap> fields = config.map("contacts").orElseThrow().fields();
        assertThat(fields.get(0).ref()).contains(new Reference("customers", "accountid", "no",
                Reference.ParentMissing.WAIT, java.time.Duration.ofMinutes(10)));
        assertThat(fields.get(1).ref()).contains(new Reference("customers", "accountid", "no",
                Reference.ParentMissing.DEAD_LETTER, java.time.Duration.ofSeconds(30)));
        assertThat(fields.get(0).ref().orElseThrow().column(Side.B)).isEqualTo("no");
    }

    @Test
    void shouldReadAFilterOnTheParentOfAReferenceField() throws IOException {
        SyncConfig config = load(WITH_CONTACTS + """
                      - { a: parentcustomerid, b: company_no, ref: { map: customers, a: accountid, b: no } }
                    filter: { a: "parentcustomerid.relationship = 'customer' and fullname is not null" }
                """);

        RowFilter filter = config.map("contacts").orElseThrow().filter(Side.A);
        assertThat(filter.conditions()).containsExactly(
                new RowFilter.Condition("parentcustomerid", "relationship", RowFilter.Operator.EQ, List.of("customer")),
                new RowFilter.Condition("fullname", RowFilter.Operator.IS_NOT_NULL, List.of()));
        List<ParentFilter> onAccounts = ParentFilter.onParentMap(config, "customers", Side.A);
        assertThat(onAccounts).extracting(ParentFilter::referenceField, ParentFilter::parentColumn)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("parentcustomerid", "accountid"));
        assertThat(onAccounts.get(0).admits(Map.of("relationship", "customer"))).isTrue();
        assertThat(onAccounts.get(0).admits(Map.of("relationship", "prospect"))).isFalse();
        assertThat(onAccounts.get(0).admits(null)).as("no parent").isFalse();
        assertThat(ParentFilter.onParentMap(config, "customers", Side.B)).isEmpty();
        assertThat(ParentFilter.testedColumns(config, "customers", Side.A)).containsExactly("relationship");
    }

    @Test
    void shouldReportAFilterOnTheParentOfAFieldThatIsNoReference() throws IOException {
        assertProblems(WITH_CONTACTS + """
                      - { a: parentcustomerid, b: company_no }
                    filter: { a: "parentcustomerid.relationship = 'customer'" }
                """,
                "20:18: maps[1].filter.a: 'parentcustomerid.' in the filter must be a reference field of this map on side a,"
                        + " to test its parent's columns. Fix: declare parentcustomerid as a field with ref: { map: ..., a: ..., b: ... },"
                        + " or test a column of the row itself");
    }

    @Test
    void shouldReportAReferenceToAMapThatDoesNotExist() throws IOException {
        assertProblems(WITH_CONTACTS + "          - { a: parentcustomerid, b: company_no, ref: { map: customer, a: accountid, b: no } }\n",
                "19:63: maps[1].fields[0].ref.map: no map is named 'customer'. Fix: did you mean 'customers'?");
    }

    @Test
    void shouldReportAReferenceToAMapBetweenOtherEndpointsOrSides() throws IOException {
        String swapped = WITH_CONTACTS.replace("a: crm.public.contact\n    b: erp.contact", "a: erp.contact\n    b: crm.public.contact");
        assertProblems(swapped + "          - { a: company_no, b: parentcustomerid, ref: { map: customers, a: no, b: accountid } }\n",
                "19:63: maps[1].fields[0].ref.map: map 'customers' syncs crm (a) with erp (b), but this map syncs erp (a) with crm (b):"
                        + " a reference translates side a to side a and side b to side b."
                        + " Fix: reference a map between the same two endpoints, on the same sides");
    }

    @Test
    void shouldReportAReferenceToAOneWayMap() throws IOException {
        String oneWay = WITH_CONTACTS.replace("    direction: bidirectional\n", "");
        assertProblems(oneWay + "          - { a: parentcustomerid, b: company_no, ref: { map: customers, a: accountid, b: no } }\n",
                "18:63: maps[1].fields[0].ref.map: map 'customers' flows a-to-b, so its coupling can be learnt from one side only."
                        + " Fix: make map 'customers' bidirectional (a field may still flow one way: direction on the field)");
    }

    @Test
    void shouldReportEveryMistakeInsideAReference() throws IOException {
        assertProblems(WITH_CONTACTS + """
                      - { a: parentcustomerid, ref: { map: customers, a: accountid, b: no, ifParentMissing: later, maxWait: soon } }
                      - { a: ownerid, b: owner_no, toB: { prefix: "C-" }, ref: { map: customers, b: no, onMissing: skip } }
                      - { a: email, b: email, ref: { map: customers, a: accountid, b: no } }
                """,
                "19:32: maps[1].fields[0].ref: a reference needs the field's column on both sides. Fix: add b: <column holding the parent's identifier>",
                "19:93: maps[1].fields[0].ref.ifParentMissing: 'later' is not an outcome for a missing parent. Fix: use one of wait, empty, skip, dead-letter",
                "19:109: maps[1].fields[0].ref.maxWait: 'soon' is not a duration. Fix: write a whole number and a unit, e.g. 30s, 10m, 2h",
                "20:59: maps[1].fields[1].ref: a reference is translated through its map's coupling, so it cannot also have values, toA or toB."
                        + " Fix: remove values, toA and toB from this field",
                "20:64: maps[1].fields[1].ref.a: required key is missing. Fix: add a: <column of the parent's side-a table that the field's value equals>",
                "20:89: maps[1].fields[1].ref.onMissing: unknown key 'onMissing'. Fix: use one of map, a, b, ifParentMissing, maxWait",
                "21:31: maps[1].fields[2].ref: a key column cannot be a reference: rows are coupled by their own key values."
                        + " Fix: key the map on columns of its own rows, and keep the reference as a field");
    }

    // --- problems, each with the exact message a user reads ---

    @Test
    void shouldReadTheObservabilitySettingsWithTheirDefaults() throws IOException {
        assertThat(load(HEADER).observability()).isEqualTo(ObservabilitySettings.DEFAULTS);
        assertThat(load("observability: { port: 9100, syncLogRetention: 36h }\n" + HEADER).observability())
                .isEqualTo(new ObservabilitySettings(9100, java.time.Duration.ofHours(36)));
        assertThat(load("observability: { port: 0 }\n" + HEADER).observability().port()).isZero();
    }

    @Test
    void shouldReportABadSyncLogRetention() throws IOException {
        assertProblems("observability: { syncLogRetention: 1 week }\n" + HEADER,
                "1:36: observability.syncLogRetention: '1 week' is not a duration. Fix: write a whole number of days, hours or minutes: 7d, 12h, 90m");
    }

    @Test
    void shouldListAllProblemsUnderAHeaderLineInTheExceptionMessage() throws IOException {
        Path file = write(HEADER + "    direction: both\n    conflicts: crm_wins\n");

        assertThatThrownBy(() -> ConfigLoader.load(file, ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("2 problem(s) in " + file + "\n"
                        + file + ":13:16: maps[0].direction: 'both' is not a direction. Fix: use one of a-to-b, b-to-a, bidirectional\n"
                        + file + ":14:16: maps[0].conflicts: 'crm_wins' is not a conflict policy of this map. "
                        + "Fix: use one of fail, crm-wins, erp-wins, latest-wins");
    }

    @Test
    void shouldReportAYamlSyntaxErrorWithTheParsersLine() throws IOException {
        assertProblems("""
                kafka:
                  bootstrap: localhost:9092
                   registry: x
                """,
                "3:12: invalid YAML: mapping values are not allowed here. "
                        + "Fix: check the indentation, colons and quotes on this line and the one before");
    }

    @Test
    void shouldReportAnEmptyFile() throws IOException {
        assertProblems("# nothing yet\n", "1:1: the file is empty. Fix: start from deploy/config/example.yaml");
    }

    @Test
    void shouldReportAFileThatCannotBeRead() {
        Path missing = dir.resolve("missing.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing, ENV));
        assertThat(e.problems()).map(ConfigProblem::toString).containsExactly(
                missing + ":1:1: cannot read the file (NoSuchFileException). Fix: check the path and its permissions");
    }

    @Test
    void shouldReportUnknownKeysAtEveryLevelSuggestingTheClosestOne() throws IOException {
        assertProblems(HEADER.replace("kafka: { bootstrap: localhost:9092 }", "kafka: { bootstrap: localhost:9092, partitons: 3 }")
                        .replace("user: sync, passwordEnv: ERP", "user: sync, pasword: x, passwordEnv: ERP")
                        + "    feilds: []\n    colour: red\n    filter: { c: \"x = 1\" }\n"
                        + "  - { name: more, a: crm.x, b: erp.x, key: [ { a: id, b: id, c: id } ], fields: [ { a: id, b: id, toB: { prefx: X } } ] }\n"
                        + "tranform: {}\n",
                "1:37: kafka.partitons: unknown key 'partitons'. "
                        + "Fix: did you mean 'partitions'? Allowed keys: bootstrap, partitions, replicationFactor, properties, security, applicationId",
                "5:77: endpoints.erp.pasword: unknown key 'pasword'. Fix: did you mean 'password'? Allowed keys: "
                        + "kind, url, user, password, passwordEnv, passwordFile, slot, publication, serverId, timezone, tls",
                "13:5: maps[0].feilds: unknown key 'feilds'. Fix: did you mean 'fields'? Allowed keys: "
                        + "name, a, b, direction, key, fields, filter, companies, conflicts, deletes, initialSync, changedAt, keyMatching, onInsert, leavesScope",
                "14:5: maps[0].colour: unknown key 'colour'. "
                        + "Fix: use one of name, a, b, direction, key, fields, filter, companies, conflicts, deletes, initialSync, changedAt, keyMatching, onInsert, leavesScope",
                "15:15: maps[0].filter.c: unknown key 'c'. Fix: use one of a, b",
                "16:62: maps[1].key[0].c: unknown key 'c'. Fix: use one of a, b",
                "16:106: maps[1].fields[0].toB.prefx: unknown key 'prefx'. "
                        + "Fix: did you mean 'prefix'? Allowed keys: prefix, constant, default",
                "17:1: tranform: unknown key 'tranform'. Fix: use one of kafka, registry, endpoints, maps, observability");
    }

    @Test
    void shouldReportMissingRequiredKeysAtTheMappingThatLacksThem() throws IOException {
        assertProblems("""
                kafka: { partitions: 2 }
                registry: {}
                endpoints:
                  crm: { passwordEnv: CRM_PASSWORD }
                maps:
                  - direction: a-to-b
                """,
                "1:8: kafka.bootstrap: required key is missing. Fix: add bootstrap: host:9092[,host:9092]",
                "2:11: registry.url: required key is missing. Fix: add url: http://localhost:8080 (the Apicurio Registry base URL)",
                "4:8: endpoints.crm.kind: required key is missing. Fix: add kind: postgres (or mariadb)",
                "4:8: endpoints.crm.url: required key is missing. Fix: add url: jdbc:postgresql://host:5432/database",
                "4:8: endpoints.crm.user: required key is missing. Fix: add user: <database user>",
                "6:5: maps[0].name: required key is missing. Fix: add name: <map name>, e.g. name: customers",
                "6:5: maps[0].a: required key is missing. Fix: add a: <endpoint>.<schema>.<table>",
                "6:5: maps[0].b: required key is missing. Fix: add b: <endpoint>.<schema>.<table>",
                "6:5: maps[0].key: required key is missing. Fix: add key: [ { a: <column>, b: <column> } ]",
                "6:5: maps[0].fields: required key is missing. Fix: add fields: [ { a: <column>, b: <column> } ]");
    }

    @Test
    void shouldReportMissingTopLevelSectionsAndKeysWithoutAValue() throws IOException {
        assertProblems("""
                kafka:
                  bootstrap:
                """,
                "1:1: registry: required key is missing. Fix: add registry: { url: http://localhost:8080 }",
                "1:1: endpoints: required key is missing. Fix: add endpoints: { crm: { kind: postgres, "
                        + "url: jdbc:postgresql://localhost:5432/crm, user: sync, passwordEnv: CRM_PASSWORD } }",
                "1:1: maps: required key is missing. Fix: add maps: with at least one table map",
                "2:3: kafka.bootstrap: required key has no value. Fix: add bootstrap: host:9092[,host:9092]");
    }

    @Test
    void shouldReportValuesOfTheWrongType() throws IOException {
        assertProblems("""
                kafka: { bootstrap: localhost:9092, partitions: many, replicationFactor: 0 }
                registry: { url: [ http://a ] }
                endpoints:
                  crm: { kind: postgres, url: jdbc:postgresql://localhost/crm, user: sync }
                maps: customers
                """,
                "1:49: kafka.partitions: 'many' is not a whole number from 1 to 65534. Fix: write a number such as 1",
                "1:74: kafka.replicationFactor: '0' is not a whole number from 1 to 32767. Fix: write a number such as 1",
                "2:18: registry.url: expected a single value, found a list",
                "5:7: maps: expected a list, found 'customers'. Fix: write it as a list of maps, each starting with '- name: ...'");
    }

    @Test
    void shouldReportListsAndMappingsOfTheWrongShapeInsideAMap() throws IOException {
        assertProblems(HEADER.replace("    key: [ { a: account_number, b: no } ]\n", "    key: account_number\n")
                        .replace("      - { a: name, b: name }\n", "      - name\n") + "    deletes: [ soft ]\n",
                "10:10: maps[0].key: expected a list, found 'account_number'. Fix: write it as key: [ { a: <column>, b: <column> } ]",
                "12:9: maps[0].fields[0]: expected a mapping, found 'name'. Fix: write it as { a: <column>, b: <column> }",
                "13:14: maps[0].deletes: expected a single value, found a list");
    }

    @Test
    void shouldReportAnUnsupportedEndpointKind() throws IOException {
        assertProblems(HEADER.replace("kind: mariadb", "kind: oracle"),
                "5:16: endpoints.erp.kind: 'oracle' is not a supported kind. Fix: use one of postgres, mariadb");
    }

    @Test
    void shouldReportAMalformedJdbcUrlAndOneThatDoesNotMatchTheKind() throws IOException {
        assertProblems(HEADER.replace("jdbc:postgresql://localhost:5432/crm", "postgres://localhost/crm")
                        .replace("jdbc:mariadb://localhost:3306/erp", "jdbc:postgresql://localhost:3306/erp"),
                "4:31: endpoints.crm.url: 'postgres://localhost/crm' is not a JDBC URL: a JDBC URL starts with 'jdbc:', "
                        + "e.g. jdbc:postgresql://localhost:5432/crm. "
                        + "Fix: write jdbc:postgresql://host:5432/database or jdbc:mariadb://host:3306/database",
                "5:30: endpoints.erp.url: a mariadb endpoint needs a jdbc:mariadb: URL, not jdbc:postgresql:. "
                        + "Fix: correct the URL or the kind");
    }

    @Test
    void shouldReportAJdbcUrlWithoutADatabase() throws IOException {
        assertProblems(HEADER.replace("jdbc:postgresql://localhost:5432/crm", "jdbc:postgresql://localhost:5432/"),
                "4:31: endpoints.crm.url: 'jdbc:postgresql://localhost:5432/' is not a JDBC URL: "
                        + "the JDBC URL names no database, e.g. jdbc:postgresql://localhost:5432/crm. "
                        + "Fix: write jdbc:postgresql://host:5432/database or jdbc:mariadb://host:3306/database");
    }

    @Test
    void shouldReportAMapThatNamesAnUndefinedEndpoint() throws IOException {
        assertProblems(HEADER.replace("erp.customer", "erpp.customer").replace("crm.public.account", "hq.account"),
                "8:8: maps[0].a: endpoint 'hq' is not defined. Fix: use one of the defined endpoints: crm, erp",
                "9:8: maps[0].b: endpoint 'erpp' is not defined. Fix: did you mean 'erp'? Defined endpoints: crm, erp");
    }

    @Test
    void shouldReportATableReferenceThatIsNotEndpointDotTable() throws IOException {
        assertProblems(HEADER.replace("erp.customer", "customer").replace("crm.public.account", "crm.public.account.x"),
                "8:8: maps[0].a: 'crm.public.account.x' is not a table reference. "
                        + "Fix: write <endpoint>.<table> or <endpoint>.<schema>.<table>, e.g. crm.public.account",
                "9:8: maps[0].b: 'customer' is not a table reference. "
                        + "Fix: write <endpoint>.<table> or <endpoint>.<schema>.<table>, e.g. crm.public.account");
    }

    @Test
    void shouldResolveTwoPartReferencesToTheDefaultSchemaOrTheMariaDbDatabase() throws IOException {
        TableMap map = load(HEADER.replace("crm.public.account", "crm.account")).maps().getFirst();

        assertThat(map.a()).isEqualTo(new TableRef("crm", "public", "account"));
        assertThat(map.b()).isEqualTo(new TableRef("erp", "erp", "customer"));
    }

    @Test
    void shouldReportDuplicateMapNamesAndMapsBetweenTheSameTable() throws IOException {
        assertProblems(HEADER + "  - { name: customers, a: crm.account, b: crm.public.account, key: [ { a: id, b: id } ], fields: [ { a: x, b: x } ] }\n",
                "13:13: maps[1].name: a map named 'customers' is already defined on line 7. Fix: give each map its own name",
                "13:43: maps[1].b: a and b are the same table crm.public.account. Fix: map two different tables");
    }

    @Test
    void shouldReportMapAndEndpointNamesThatCannotBePartOfATopicName() throws IOException {
        assertProblems(HEADER.replace("name: customers", "name: all customers")
                        .replace("crm: {", "\"crm.db\": {").replace("crm.public.account", "erp.account"),
                "4:3: endpoints.crm.db: 'crm.db' is not a valid endpoint name: it becomes part of topic, slot and group names. "
                        + "Fix: use only letters, digits, '_' and '-'",
                "7:11: maps[0].name: 'all customers' is not a valid map name: it becomes part of topic names. "
                        + "Fix: use only letters, digits, '_' and '-'");
    }

    @Test
    void shouldRefuseAPasswordWrittenInTheFileWithoutRepeatingIt() throws IOException {
        Path file = write(HEADER.replace("passwordEnv: CRM_PASSWORD", "password: hunter2"));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, ENV));

        assertThat(e.problems()).map(ConfigProblem::toString).containsExactly(file
                + ":4:81: endpoints.crm.password: a password must not be written in the config file. "
                + "Fix: move it to an environment variable and write passwordEnv: NAME, or to a file"
                + " (a mounted Kubernetes secret, say) and write passwordFile: /path/to/file");
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void shouldRefuseKafkaSecretsWrittenInTheFileWithoutRepeatingThem() throws IOException {
        Path file = write(HEADER.replace("kafka: { bootstrap: localhost:9092 }", """
                kafka:
                  bootstrap: localhost:9092
                  properties:
                    security.protocol: SASL_SSL
                    sasl.mechanism: SCRAM-SHA-512
                    sasl.jaas.config: org.apache.kafka.common.security.scram.ScramLoginModule required username="sync" password="hunter2";
                    ssl.truststore.password: hunter3
                """.strip()));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, ENV));

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("kafka.properties.sasl.jaas.config", "kafka.properties.ssl.truststore.password");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).isEqualTo("a secret must not be written in the config file"));
        assertThat(e.problems().get(1).fix()).contains("config.providers: file")
                .contains("${file:/path/to/secrets.properties:ssl.truststore.password}");
        assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("hunter3");
    }

    @Test
    void shouldPassKafkaSecretsReadThroughAConfigProviderToTheKafkaClientsWhichResolveThem() throws IOException {
        Path secrets = Files.writeString(dir.resolve("kafka-secrets.properties"), "truststore.password=s3cret\n");
        SyncConfig config = load(HEADER.replace("kafka: { bootstrap: localhost:9092 }", """
                kafka:
                  bootstrap: localhost:9092
                  properties:
                    config.providers: file
                    config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider
                    ssl.truststore.password: "${file:%s:truststore.password}"
                """.formatted(secrets).strip()));

        Map<String, Object> client = new java.util.HashMap<>(io.dualsync.contract.KafkaClients.common(config.kafka()));
        client.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class);
        client.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class);
        assertThat(new org.apache.kafka.clients.producer.ProducerConfig(client).getPassword("ssl.truststore.password").value())
                .isEqualTo("s3cret");
    }

    @Test
    void shouldRefuseAPasswordWrittenIntoTheJdbcUrlWithoutRepeatingIt() throws IOException {
        Path file = write(HEADER
                .replace("jdbc:postgresql://localhost:5432/crm", "\"jdbc:postgresql://localhost:5432/crm?ssl=true&password=hunter2\"")
                .replace("jdbc:mariadb://localhost:3306/erp", "\"jdbc:mariadb://sync:hunter3@localhost:3306/erp\""));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, ENV));

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("endpoints.crm.url", "endpoints.erp.url");
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.message())
                .isEqualTo("the URL carries a password, which must not be written in the config file"));
        assertThat(e.problems().get(0).fix()).contains("passwordEnv: NAME").contains("passwordFile: /path/to/file");
        assertThat(e.getMessage()).doesNotContain("hunter2").doesNotContain("hunter3");
    }

    @Test
    void shouldReportAnUnsetPasswordVariableAnUnreadablePasswordFileAndBothGiven() throws IOException {
        assertProblems(HEADER.replace("passwordEnv: CRM_PASSWORD", "passwordEnv: CRM_PASS")
                        .replace("passwordEnv: ERP_PASSWORD", "passwordFile: /nonexistent/erp.pw"),
                "4:94: endpoints.crm.passwordEnv: environment variable CRM_PASS is not set. "
                        + "Fix: set CRM_PASS before starting dualsync, or remove passwordEnv if the user needs no password",
                "5:91: endpoints.erp.passwordFile: cannot read /nonexistent/erp.pw (NoSuchFileException). "
                        + "Fix: check the path (relative paths start at the config file's directory) and its permissions");
        assertProblems(HEADER.replace("passwordEnv: CRM_PASSWORD", "passwordEnv: CRM_PASSWORD, passwordFile: crm.pw"),
                "4:108: endpoints.crm.passwordFile: both passwordEnv and passwordFile are given. Fix: keep one of them");
    }

    @Test
    void shouldTurnTheTlsBlockIntoTheDriversProperties() throws IOException {
        Files.writeString(dir.resolve("db-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        SyncConfig config = load(HEADER.replace("passwordEnv: CRM_PASSWORD }", "passwordEnv: CRM_PASSWORD, tls: { caFile: db-ca.pem } }")
                .replace("serverId: 101 }", "serverId: 101, tls: { mode: verify-ca, caFile: db-ca.pem } }"));

        Path ca = dir.resolve("db-ca.pem");
        assertThat(config.endpoint("crm").tls()).contains(new DatabaseTls(DatabaseTls.Mode.VERIFY_FULL, Optional.of(ca)));
        assertThat(config.endpoint("crm").jdbcProperties()).containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", ca.toString()).containsEntry("user", "sync").containsEntry("password", "crm-secret");
        assertThat(config.endpoint("erp").jdbcProperties()).containsEntry("sslMode", "verify-ca")
                .containsEntry("serverSslCert", ca.toString());

        SyncConfig encryptedOnly = load(HEADER.replace("serverId: 101 }", "serverId: 101, tls: { mode: require } }"));
        assertThat(encryptedOnly.endpoint("erp").jdbcProperties()).containsEntry("sslMode", "trust").doesNotContainKey("serverSslCert");
        assertThat(encryptedOnly.endpoint("crm").tls()).isEmpty();
        assertThat(encryptedOnly.endpoint("crm").jdbcProperties()).doesNotContainKeys("sslmode", "sslrootcert");
    }

    @Test
    void shouldReportTlsModesAndCaFilesThatCannotWork() throws IOException {
        Files.writeString(dir.resolve("db-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertProblems(HEADER.replace("passwordEnv: CRM_PASSWORD }", "passwordEnv: CRM_PASSWORD, tls: { mode: prefer } }")
                        .replace("serverId: 101 }", "serverId: 101, tls: { mode: verify-full } }"),
                "4:121: endpoints.crm.tls.mode: 'prefer' is not a TLS mode. Fix: leave tls out for an unencrypted connection;"
                        + " with tls, use one of require, verify-ca, verify-full",
                "5:124: endpoints.erp.tls.caFile: required key is missing. Fix: add caFile: <PEM file of the CA that signed the"
                        + " database server's certificate>, or write mode: require to encrypt without checking the certificate");
        assertProblems(HEADER.replace("passwordEnv: CRM_PASSWORD }", "passwordEnv: CRM_PASSWORD, tls: { mode: require, caFile: db-ca.pem } }")
                        .replace("serverId: 101 }", "serverId: 101, tls: { caFile: missing.pem, cert: client.pem } }"),
                "4:130: endpoints.crm.tls.caFile: mode require does not check the server's certificate, so a CA file would be"
                        + " ignored. Fix: write mode: verify-full (or verify-ca) to check the certificate against it, or remove caFile",
                "5:134: endpoints.erp.tls.caFile: cannot read " + dir.resolve("missing.pem")
                        + ". Fix: check the path (relative paths start at the config file's directory) and its permissions",
                "5:147: endpoints.erp.tls.cert: unknown key 'cert'. Fix: use one of mode, caFile");
    }

    @Test
    void shouldRefuseTlsParametersInTheJdbcUrlBesideTheTlsBlock() throws IOException {
        assertProblems(HEADER.replace("jdbc:postgresql://localhost:5432/crm", "\"jdbc:postgresql://localhost:5432/crm?sslmode=disable\"")
                        .replace("passwordEnv: CRM_PASSWORD }", "passwordEnv: CRM_PASSWORD, tls: { mode: require } }")
                        .replace("jdbc:mariadb://localhost:3306/erp", "\"jdbc:mariadb://localhost:3306/erp?useSsl=false\"")
                        .replace("serverId: 101 }", "serverId: 101, tls: { mode: require } }"),
                "4:126: endpoints.crm.tls: the JDBC URL sets TLS parameter 'sslmode' as well as this tls block, and the two"
                        + " would disagree for some connections. Fix: remove 'sslmode' from the URL: tls sets it",
                "5:134: endpoints.erp.tls: the JDBC URL sets TLS parameter 'useSsl' as well as this tls block, and the two"
                        + " would disagree for some connections. Fix: remove 'useSsl' from the URL: tls sets it");
        // without the block the URL's own TLS parameters are the user's choice, as before
        assertThat(load(HEADER.replace("jdbc:postgresql://localhost:5432/crm", "\"jdbc:postgresql://localhost:5432/crm?sslmode=require\""))
                .endpoint("crm").tls()).isEmpty();
    }

    @Test
    void shouldReportBadSlotServerIdAndTimezone() throws IOException {
        assertProblems(HEADER.replace("passwordEnv: CRM_PASSWORD", "slot: Crm-Slot, timezone: Mars/Base")
                        .replace("serverId: 101", "serverId: -1"),
                "4:87: endpoints.crm.slot: 'Crm-Slot' is not a valid replication slot name. "
                        + "Fix: use at most 63 lower-case letters, digits and '_'",
                "4:107: endpoints.crm.timezone: 'Mars/Base' is not a time zone. Fix: use a region such as Europe/Berlin, or UTC",
                "5:114: endpoints.erp.serverId: '-1' is not a server id. Fix: use a whole number from 1 to 4294967295 that no other replica uses");
    }

    @Test
    void shouldRequireAServerIdForAMariaDbEndpoint() throws IOException {
        assertProblems(HEADER.replace(", serverId: 101", ""),
                "5:8: endpoints.erp.serverId: required key is missing. Fix: add serverId: <a number from 1 to 4294967295"
                        + " that neither the server nor any of its replicas uses> (the binlog is read as a replica with this id)");
    }

    @Test
    void shouldRequireEachMariaDbEndpointToHaveItsOwnServerId() throws IOException {
        assertProblems(HEADER.replace("  erp: {", "  erp2: { kind: mariadb, url: jdbc:mariadb://other:3306/erp, user: sync, serverId: 101 }\n  erp: {"),
                "6:114: endpoints.erp.serverId: server id 101 is already used by endpoint 'erp2'."
                        + " Fix: give every mariadb endpoint its own serverId");
    }

    @Test
    void shouldReportAnUnknownDirection() throws IOException {
        assertProblems(HEADER + "    direction: both\n",
                "13:16: maps[0].direction: 'both' is not a direction. Fix: use one of a-to-b, b-to-a, bidirectional");
    }

    @Test
    void shouldLetOneFieldOfABidirectionalMapFlowOneWay() throws IOException {
        SyncConfig config = load(HEADER.replace("- { a: name, b: name }", "- { a: name, b: name, direction: a-to-b }")
                + "    direction: bidirectional\n");

        FieldMap name = config.maps().get(0).fields().get(0);
        assertThat(name.direction()).isEqualTo(Direction.A_TO_B);
        assertThat(name.flowsFrom(Side.A)).isTrue();
        assertThat(name.flowsFrom(Side.B)).isFalse();
    }

    @Test
    void shouldReportAnUnknownFieldDirectionAndOneAgainstTheMap() throws IOException {
        assertProblems(HEADER.replace("- { a: name, b: name }", "- { a: name, b: name, direction: both }"),
                "12:40: maps[0].fields[0].direction: 'both' is not a field direction. Fix: use one of a-to-b, b-to-a, bidirectional");
        assertProblems(HEADER.replace("- { a: name, b: name }", "- { a: name, b: name, direction: b-to-a }"),
                "12:40: maps[0].fields[0].direction: the field flows b-to-a but its map flows a-to-b. "
                        + "Fix: remove direction from the field, or make the map bidirectional");
    }

    @Test
    void shouldReportKeyEntriesWithoutBothColumnsAndAnEmptyKey() throws IOException {
        assertProblems(HEADER.replace("key: [ { a: account_number, b: no } ]", "key: [ { a: account_number }, { b: no } ]"),
                "10:12: maps[0].key[0].b: required key is missing. Fix: add b: <column on side b>",
                "10:35: maps[0].key[1].a: required key is missing. Fix: add a: <column on side a>");
        assertProblems(HEADER.replace("key: [ { a: account_number, b: no } ]", "key: []"),
                "10:10: maps[0].key: the key lists no columns. "
                        + "Fix: add the column pairs that identify a row, e.g. [ { a: account_number, b: no } ]");
    }

    @Test
    void shouldReportFieldsWithoutAColumnOrWithoutASourceForTheirTarget() throws IOException {
        assertProblems(HEADER + """
                      - { values: { x: y } }
                      - { b: country }
                      - { b: region, toB: { default: EU } }
                      - { a: kind, toB: { constant: X } }
                """,
                "13:9: maps[0].fields[1]: a field needs a column on side a, side b or both. Fix: add a: <column> and/or b: <column>",
                "14:9: maps[0].fields[2]: the field has no column on side a, so nothing fills b.country. "
                        + "Fix: add a: <column>, or toB: { constant: <value> }",
                "16:20: maps[0].fields[4].toB: toB is given but the field has no column on side b. Fix: add b: <column>, or remove toB");
    }

    @Test
    void shouldRefuseAValueMapThatIsNotOneToOneWhenTheMapFlowsFromBToA() throws IOException {
        String fields = "      - { a: status, b: blocked, values: { active: \"\", open: \"\", inactive: all } }\n";
        assertProblems(HEADER + fields + "    direction: bidirectional\n",
                "13:62: maps[0].fields[1].values.open: 'active' and 'open' both map to '', so going from b to a '' would be ambiguous. "
                        + "Fix: make the values one-to-one, or make the map a-to-b");

        assertThat(load(HEADER + fields).maps().getFirst().fields().get(1).values())
                .isEqualTo(Map.of("active", "", "open", "", "inactive", "all"));
    }

    @Test
    void shouldReportAFilterThatDoesNotParseAtTheCharacterWhereReadingStopped() throws IOException {
        assertProblems(HEADER + "    filter: { a: \"status = 'active' or x = 1\", b: blocked == 1 }\n",
                "13:37: maps[0].filter.a: cannot read filter \"status = 'active' or x = 1\" at character 19: "
                        + "expected 'and' or the end of the filter. "
                        + "Fix: write conditions joined by 'and', e.g. status = 'active' and country in ('DE', 'FR')",
                "13:60: maps[0].filter.b: cannot read filter \"blocked == 1\" at character 10: "
                        + "expected a value: 'quoted text', a number, true or false. "
                        + "Fix: write conditions joined by 'and', e.g. status = 'active' and country in ('DE', 'FR')");
    }

    @Test
    void shouldReportCompaniesWithAColumnButNoIdsAndIdsWithoutAColumn() throws IOException {
        assertProblems(HEADER + "    companies: { a: company_id, include: [] }\n",
                "13:42: maps[0].companies.include: a company column is given but no company ids are included, "
                        + "so no row would be in scope. Fix: list the company ids that synchronize, e.g. include: [ \"CRONUS-US\" ]");
        assertProblems(HEADER + "    companies: { a: company_id }\n",
                "13:16: maps[0].companies.include: a company column is given but no company ids are included, "
                        + "so no row would be in scope. Fix: list the company ids that synchronize, e.g. include: [ \"CRONUS-US\" ]");
        assertProblems(HEADER + "    companies: { include: [ US ] }\n",
                "13:16: maps[0].companies: company ids are included but no company column is given. "
                        + "Fix: name the column holding the company id: a: <column> and/or b: <column>");
    }

    @Test
    void shouldReportAConflictPolicyNamingAnEndpointOutsideTheMap() throws IOException {
        assertProblems(HEADER.replace("kafka:", "# hq is defined but not in this map\nkafka:")
                        .replace("maps:", "  hq: { kind: postgres, url: jdbc:postgresql://hq/hq, user: sync }\nmaps:") + "    conflicts: hq-wins\n",
                "15:16: maps[0].conflicts: 'hq-wins' is not a conflict policy of this map. "
                        + "Fix: use one of fail, crm-wins, erp-wins, latest-wins");
    }

    @Test
    void shouldReportAnUnknownDeletePolicyAndASoftDeleteWithoutColumn() throws IOException {
        assertProblems(HEADER + "    deletes: soft\n",
                "13:14: maps[0].deletes: 'soft' is not a delete policy. "
                        + "Fix: use delete, ignore, or soft: <column> (e.g. deletes: { soft: deleted })");
        assertProblems(HEADER + "    deletes: { soft: }\n",
                "13:21: maps[0].deletes.soft: soft delete needs a column name. "
                        + "Fix: use delete, ignore, or soft: <column> (e.g. deletes: { soft: deleted })");
    }

    @Test
    void shouldReadValuesSetOnlyOnCreateAndWhatARowLeavingScopeDoes() throws IOException {
        TableMap map = load(HEADER + "    onInsert: { b: { relationship_type: customer, status: active, note: \"\" } }\n"
                + "    leavesScope: delete\n").maps().get(0);

        assertThat(map.onInsert().values(Side.B)).containsExactly(Map.entry("relationship_type", "customer"),
                Map.entry("status", "active"), Map.entry("note", ""));
        assertThat(map.onInsert().values(Side.A)).isEmpty();
        assertThat(map.leavesScope()).isEqualTo(LeavesScope.DELETE);
        TableMap byDefault = load(HEADER).maps().get(0);
        assertThat(byDefault.onInsert()).isEqualTo(OnInsert.NONE);
        assertThat(byDefault.leavesScope()).isEqualTo(LeavesScope.KEEP);
    }

    @Test
    void shouldRefuseOnInsertValuesForASideTheMapNeverCreatesRowsOn() throws IOException {
        assertProblems(HEADER + "    onInsert: { a: { status: active } }\n",
                "13:17: maps[0].onInsert.a: the map flows a-to-b, so it never creates rows on side a. "
                        + "Fix: remove onInsert.a, or set direction: b-to-a or bidirectional");
        assertProblems(HEADER + "    onInsert: { c: { status: active } }\n",
                "13:17: maps[0].onInsert.c: unknown key 'c'. Fix: use one of a, b");
    }

    @Test
    void shouldRefuseOnInsertForAKeyColumnAMappedColumnOrWithoutAValue() throws IOException {
        assertProblems(HEADER + "    deletes: { soft: deleted }\n    onInsert:\n      b:\n        no: X\n        name: Unknown\n"
                        + "        status:\n        deleted: \"false\"\n",
                "16:9: maps[0].onInsert.b.no: 'no' is a key column of side b: its value comes from the source row. "
                        + "Fix: remove it from onInsert.b",
                "17:9: maps[0].onInsert.b.name: 'name' is also written by a field toward side b, so every update would "
                        + "overwrite it. Fix: remove it from onInsert.b to set it only when a row is created, or remove the "
                        + "field to sync it",
                "18:9: maps[0].onInsert.b.status: the value for 'status' is missing. "
                        + "Fix: write the value, e.g. status: active (\"\" for empty text)",
                "19:9: maps[0].onInsert.b.deleted: 'deleted' is the soft-delete column: the sync clears it on every write "
                        + "and sets it on delete. Fix: remove it from onInsert.b");
    }

    @Test
    void shouldAllowOnInsertForAColumnAFieldOnlyReadsFromThatSide() throws IOException {
        TableMap map = load(HEADER.replace("      - { a: name, b: name }", "      - { a: name, b: name, direction: b-to-a }")
                + "    direction: bidirectional\n    onInsert: { b: { name: Unknown } }\n").maps().get(0);

        assertThat(map.onInsert().values(Side.B)).containsEntry("name", "Unknown");
    }

    @Test
    void shouldRefuseAnUnknownLeavesScopeAndDeleteOnAMapThatIgnoresDeletes() throws IOException {
        assertProblems(HEADER + "    leavesScope: drop\n",
                "13:18: maps[0].leavesScope: 'drop' is not a scope-leaving behaviour. Fix: use keep or delete");
        assertProblems(HEADER + "    deletes: ignore\n    leavesScope: delete\n",
                "14:18: maps[0].leavesScope: leavesScope: delete deletes the target row through the map's deletes policy, "
                        + "but it is deletes: ignore. Fix: set deletes: delete or deletes: { soft: <column> }, or leavesScope: keep");
    }

    @Test
    void shouldReadTheAuthoritativeSideOfTheFirstSync() throws IOException {
        SyncConfig config = load(HEADER + "    direction: bidirectional\n    initialSync: { authoritative: erp }\n");

        assertThat(config.maps().get(0).initialSyncWinner()).contains("erp");
        assertThat(load(HEADER).maps().get(0).initialSyncWinner()).isEmpty();
    }

    @Test
    void shouldReadTheChangedAtColumnOfEachSideForResyncSince() throws IOException {
        SyncConfig config = load(HEADER + "    changedAt: { a: updated_at }\n");

        assertThat(config.maps().get(0).changedAt().column(Side.A)).contains("updated_at");
        assertThat(config.maps().get(0).changedAt().column(Side.B)).isEmpty();
        assertThat(load(HEADER).maps().get(0).changedAt()).isEqualTo(ChangedAt.NONE);
    }

    @Test
    void shouldReportAnAuthoritativeSideThatIsNoEndpointOfTheMapOrAOneWayMap() throws IOException {
        Path file = write(HEADER + "    direction: bidirectional\n    initialSync: { authoritative: hq }\n");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, ENV)).problems())
                .map(ConfigProblem::toString).singleElement().asString()
                .contains("maps[0].initialSync.authoritative: 'hq' is not an endpoint of this map. Fix: use one of crm, erp");
        Path oneWay = write(HEADER + "    initialSync: { authoritative: erp }\n");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(oneWay, ENV)).problems())
                .map(ConfigProblem::toString).singleElement().asString()
                .contains("maps[0].initialSync.authoritative: an authoritative side at the first sync needs a bidirectional map. "
                        + "Fix: remove initialSync, or set direction: bidirectional");
    }

    @Test
    void shouldReadHowKeysMatchAndMatchThemExactlyByDefault() throws IOException {
        assertThat(load(HEADER + "    keyMatching: ignore-case-trim\n").maps().get(0).keyMatching())
                .isEqualTo(KeyMatching.IGNORE_CASE_TRIM);
        assertThat(load(HEADER + "    keyMatching: trim\n").maps().get(0).keyMatching()).isEqualTo(KeyMatching.TRIM);
        assertThat(load(HEADER).maps().get(0).keyMatching()).isEqualTo(KeyMatching.EXACT);
    }

    @Test
    void shouldNameStreamsApplicationAndApplyGroupsAfterTheApplicationId() throws IOException {
        KafkaSettings byDefault = load(HEADER).kafka();
        assertThat(byDefault.transformApplicationId()).isEqualTo("dualsync-transform");
        assertThat(byDefault.applyGroupId("erp")).isEqualTo("dualsync-apply-erp");
        KafkaSettings named = load(HEADER.replace("kafka: { bootstrap: localhost:9092 }",
                "kafka: { bootstrap: localhost:9092, applicationId: crm-erp.eu }")).kafka();
        assertThat(named.transformApplicationId()).isEqualTo("crm-erp.eu-transform");
        assertThat(named.applyGroupId("erp")).isEqualTo("crm-erp.eu-apply-erp");
    }

    @Test
    void shouldReportAnApplicationIdKafkaCannotUse() throws IOException {
        assertProblems(HEADER.replace("kafka: { bootstrap: localhost:9092 }",
                        "kafka: { bootstrap: localhost:9092, applicationId: crm/erp }"),
                "1:52: kafka.applicationId: 'crm/erp' cannot name Kafka consumer groups and topics. "
                        + "Fix: use 1 to 100 of the characters A-Z a-z 0-9 . _ -, e.g. applicationId: dualsync-crm-erp");
    }

    @Test
    void shouldReportAnUnknownKeyMatchingWithItsLine() throws IOException {
        assertProblems(HEADER + "    keyMatching: case-insensitive\n",
                "13:18: maps[0].keyMatching: 'case-insensitive' is not a key matching. "
                        + "Fix: use one of exact, ignore-case, trim, ignore-case-trim");
    }

    @Test
    void shouldCompareTextKeysTrimmedAndOrLowerCasedAndOtherValuesAsTheyAre() {
        assertThat(KeyMatching.IGNORE_CASE_TRIM.comparable("  ACME Corp ")).isEqualTo("acme corp");
        assertThat(KeyMatching.IGNORE_CASE.comparable(" ACME ")).isEqualTo(" acme ");
        assertThat(KeyMatching.TRIM.comparable(" ACME ")).isEqualTo("ACME");
        assertThat(KeyMatching.EXACT.comparable(" ACME ")).isEqualTo(" ACME ");
        assertThat(KeyMatching.IGNORE_CASE_TRIM.comparable(42L)).isEqualTo(42L);
        assertThat(KeyMatching.IGNORE_CASE.comparableImage(java.util.Map.of("no", "C-ab"), java.util.List.of("no")))
                .containsEntry("no", "c-ab");
    }

    @Test
    void shouldReportAKeyWrittenTwiceInOneMapping() throws IOException {
        assertProblems(HEADER + "    direction: a-to-b\n    direction: b-to-a\n",
                "14:5: maps[0].direction: this key is written twice in one mapping. Fix: keep one of them");
    }

    @Test
    void shouldLoadTheSampleConfigShippedInDeployWithoutProblems() throws IOException {
        Path example = Path.of("..", "deploy", "config", "example.yaml");
        Path secret = dir.resolve("erp_password");
        Files.writeString(secret, "erp-secret\n");
        Path copy = write(Files.readString(example).replace("/run/secrets/erp_password", secret.toString()));

        SyncConfig config = ConfigLoader.load(copy, ENV);

        assertThat(config.maps()).extracting(TableMap::name).containsExactly("customers", "contacts");
        assertThat(config.maps().get(1).a()).isEqualTo(new TableRef("crm", "public", "contact"));
        assertThat(config.endpoint("erp").password().value()).isEqualTo("erp-secret");
    }
}
