package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.contract.Headers;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import io.dualsync.transform.TransformService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
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
import java.util.TreeMap;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Contacts that reference their company on both sides, between a real PostgreSQL CRM and a real
 * MariaDB ERP, over the real broker (3 partitions) and registry (issue 7, "Reference fields" and
 * "Parents before children"). The two sides generate their keys independently: the CRM's
 * accounts and contacts have UUID primary keys, the ERP's customers are numbered and its
 * contacts keyed by email; accounts and customers are coupled by the account number, and a
 * contact's company is a foreign key on both sides ({@code contact.parentcustomerid} -> the
 * account's UUID, {@code contact.company_no} -> the customer's number).
 *
 * <p>Contacts are created before (same transaction, deferred foreign key), with and after their
 * companies, on both sides, before and after the start (initial sync); one belongs to an account
 * out of the customers map's scope (a vendor) and is dead-lettered as "parent not synced". Both
 * sides are then compared column by column, each contact's company by its account number. Then
 * the transform restarts without its local state, and contacts moved between companies synced
 * before the restart still translate (the couplings are restored from their topic). Last, the
 * vendor becomes a customer, and its contact follows (read again, no replay needed).
 */
class ReferencesIT {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReferencesIT.class);

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;
    static String crmName;
    static String erpName;
    static TransformService transform;

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        EmbeddedMariaDb mariadb = infra.mariadb();
        crmName = SharedInfrastructure.uniqueName("refcrm");
        erpName = SharedInfrastructure.uniqueName("referp");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = mariadb.createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, mariadb.user(), mariadb.password());
        exec(crm, "create table account (accountid uuid primary key default gen_random_uuid(),"
                + " accountnumber varchar(20) not null unique, name text, relationship text default 'customer')");
        exec(crm, "create table contact (contactid uuid primary key default gen_random_uuid(),"
                + " email varchar(100) not null unique, fullname text,"
                + " parentcustomerid uuid references account (accountid) deferrable initially deferred)");
        exec(erp, "CREATE TABLE customer (no VARCHAR(20) PRIMARY KEY, name VARCHAR(100)) CHARACTER SET utf8mb4");
        exec(erp, "CREATE TABLE contact (email VARCHAR(100) PRIMARY KEY, name VARCHAR(100), company_no VARCHAR(20),"
                + " FOREIGN KEY (company_no) REFERENCES customer (no)) CHARACTER SET utf8mb4");
        // before the start: the initial sync carries these, a contact with its company on each side
        exec(crm, "insert into account (accountnumber, name) values ('1001', 'Fabrikam')");
        exec(crm, "insert into contact (email, fullname, parentcustomerid) select 'ann@fabrikam.example', 'Ann',"
                + " accountid from account where accountnumber = '1001'");
        exec(erp, "INSERT INTO customer VALUES ('2001', 'Contoso')");
        exec(erp, "INSERT INTO contact VALUES ('bob@contoso.example', 'Bob', '2001')");

        Path password = Files.writeString(dir.resolve("mariadb.password"), mariadb.password());
        Path config = Files.writeString(dir.resolve("references.yaml"), """
                kafka: { bootstrap: "%s", partitions: 3, applicationId: it-referencesit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: mariadb, url: "%s", user: %s, passwordFile: "%s", serverId: 9141 }
                maps:
                  - name: %s
                    a: %s.public.account
                    b: %s.%s.customer
                    direction: bidirectional
                    key: [ { a: accountnumber, b: no } ]
                    fields:
                      - { a: name, b: name }
                    filter: { a: "relationship = 'customer'" }
                  - name: %s
                    a: %s.public.contact
                    b: %s.%s.contact
                    direction: bidirectional
                    key: [ { a: email, b: email } ]
                    fields:
                      - { a: fullname, b: name }
                      - { a: parentcustomerid, b: company_no, ref: { map: %s, a: accountid, b: no, ifParentMissing: dead-letter } }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, mariadb.user(), password,
                customers(), crmName, erpName, erpName,
                contacts(), crmName, erpName, erpName, customers()));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        Pipeline pipeline = new Pipeline(checked, host);
        pipeline.startApply();
        startTransform("streams");
        pipeline.startCapture(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    /** Starts the transform with its state in {@code stateDir} (under the test's folder). */
    private static void startTransform(String stateDir) {
        transform = new TransformService(checked.config(), checked.catalog(), crmName + "-transform",
                dir.resolve(stateDir), new SimpleMeterRegistry());
        transform.start();
        host.add(new ServiceHost.Hosted("transform", transform, transform::failure));
    }

    private static String customers() {
        return crmName + "_customers";
    }

    private static String contacts() {
        return crmName + "_contacts";
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName), crm, erp);
    }

    @Test
    void shouldTranslateEveryContactsCompanyInBothDirectionsWhateverTheOrderOfParentAndChild() throws Exception {
        long started = System.nanoTime();
        // CRM: a contact before its account (one transaction, the foreign key checked at commit)
        crm.setAutoCommit(false);
        exec(crm, "insert into contact (email, fullname, parentcustomerid) values ('cat@tailspin.example', 'Cat',"
                + " 'a0000000-0000-0000-0000-000000000003')");
        exec(crm, "insert into account (accountid, accountnumber, name) values ('a0000000-0000-0000-0000-000000000003', '1003', 'Tailspin')");
        crm.commit();
        // CRM: an account and its contact in one transaction
        exec(crm, "insert into account (accountnumber, name) values ('1004', 'Northwind')");
        exec(crm, "insert into contact (email, fullname, parentcustomerid) select 'dee@northwind.example', 'Dee',"
                + " accountid from account where accountnumber = '1004'");
        crm.commit();
        crm.setAutoCommit(true);
        // CRM: a vendor, out of the customers map's scope, and its contact
        exec(crm, "insert into account (accountnumber, name, relationship) values ('1009', 'Litware', 'vendor')");
        exec(crm, "insert into contact (email, fullname, parentcustomerid) select 'vic@litware.example', 'Vic',"
                + " accountid from account where accountnumber = '1009'");
        // ERP: a customer and its contact in one transaction
        erp.setAutoCommit(false);
        exec(erp, "INSERT INTO customer VALUES ('2005', 'Wingtip')");
        exec(erp, "INSERT INTO contact VALUES ('eve@wingtip.example', 'Eve', '2005')");
        erp.commit();
        erp.setAutoCommit(true);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(erpContacts()).containsOnlyKeys("ann@fabrikam.example", "bob@contoso.example",
                    "cat@tailspin.example", "dee@northwind.example", "eve@wingtip.example");
            assertThat(crmContacts()).as("CRM vs ERP, column by column, each company by its account number")
                    .isEqualTo(withVendorContact(erpContacts()));
        });

        long converged = System.nanoTime();
        // a restart that loses the transform's local state: the couplings come back from their compacted topic
        transform.close();
        startTransform("streams-after-restart");

        // after the parent is synced: a new ERP contact of a CRM-born company, and moves between companies
        exec(erp, "INSERT INTO contact VALUES ('fay@northwind.example', 'Fay', '1004')");
        exec(crm, "update contact set parentcustomerid = (select accountid from account where accountnumber = '2005')"
                + " where email = 'ann@fabrikam.example'");
        exec(erp, "UPDATE contact SET company_no = '1003' WHERE email = 'bob@contoso.example'");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            Map<String, Map<String, String>> erpSide = erpContacts();
            assertThat(erpSide.get("ann@fabrikam.example")).containsEntry("company", "2005");
            assertThat(erpSide.get("fay@northwind.example")).containsEntry("company", "1004");
            assertThat(crmContacts()).isEqualTo(withVendorContact(erpSide));
        });
        log.info("references: first phase (initial sync and 5 live contacts) equal on both sides {} ms after the writes;"
                + " after a restart without local state, 3 more changes equal {} ms later", (converged - started) / 1_000_000,
                (System.nanoTime() - converged) / 1_000_000);
        // the CRM holds its own UUIDs: the ERP-born company's contact points at the account dualsync created
        assertThat(scalar(crm, "select c.parentcustomerid = a.accountid from contact c, account a"
                + " where c.email = 'eve@wingtip.example' and a.accountnumber = '2005'")).isEqualTo("t");

        List<ConsumerRecord<byte[], byte[]>> erpDead = deadLetters(Topics.deadLetter(erpName), 1);
        assertThat(erpDead).as("only the vendor's contact, as 'parent not synced', never a foreign key error").singleElement()
                .satisfies(d -> {
                    assertThat(header(d, Headers.ERROR_MESSAGE)).isEqualTo("parent not synced: column 'company_no' refers to"
                            + " a row of map '" + customers() + "' that is not in the map's scope on side a");
                    assertThat(header(d, Headers.MAP)).isEqualTo(contacts());
                });
        assertThat(deadLetters(Topics.deadLetter(crmName), 0)).isEmpty();

        // the vendor becomes a customer: its contact, dead-lettered as "parent not synced", is read
        // again and arrives without an operator's replay
        exec(crm, "update account set relationship = 'customer' where accountnumber = '1009'");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(erpContacts()).containsEntry("vic@litware.example", Map.of("name", "Vic", "company", "1009"));
            assertThat(crmContacts()).isEqualTo(erpContacts());
        });
    }

    /** The ERP image plus the vendor's contact, which only the CRM holds. */
    private static Map<String, Map<String, String>> withVendorContact(Map<String, Map<String, String>> erpSide) {
        Map<String, Map<String, String>> expected = new TreeMap<>(erpSide);
        expected.put("vic@litware.example", Map.of("name", "Vic", "company", "1009"));
        return expected;
    }

    private static Map<String, Map<String, String>> crmContacts() throws SQLException {
        return contacts(crm, "select c.email, c.fullname, a.accountnumber from contact c"
                + " left join account a on a.accountid = c.parentcustomerid");
    }

    private static Map<String, Map<String, String>> erpContacts() throws SQLException {
        return contacts(erp, "SELECT email, name, company_no FROM contact");
    }

    /** Email to (name, company number). */
    private static Map<String, Map<String, String>> contacts(Connection c, String sql) throws SQLException {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, String> columns = new LinkedHashMap<>();
                columns.put("name", rs.getString(2));
                columns.put("company", rs.getString(3));
                rows.put(rs.getString(1), columns);
            }
        }
        return rows;
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(String topic, int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, checked.config().kafka().bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add); // a surplus record would show here
        }
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
