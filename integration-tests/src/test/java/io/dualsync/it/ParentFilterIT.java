package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A filter on a parent's fields, and children that follow their parent into and out of scope
 * (issue 7), between a real PostgreSQL CRM and a real MariaDB ERP: every account syncs to the
 * ERP as a customer, but a contact syncs only while its account's relationship type is
 * {@code customer} (Business Central's default contact filter), tested as
 * {@code parentcustomerid.relationship = 'customer'}. The relationship is not mapped: the filter
 * reads it on the parent row. When an account becomes a customer its contacts arrive on the ERP
 * (with a name changed meanwhile), when it stops being one they leave it ({@code leavesScope:
 * delete}), and a contact created before its account follows once the account exists.
 */
class ParentFilterIT {

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;
    static String crmName;
    static String erpName;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        EmbeddedMariaDb mariadb = infra.mariadb();
        crmName = SharedInfrastructure.uniqueName("pfcrm");
        erpName = SharedInfrastructure.uniqueName("pferp");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = mariadb.createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, mariadb.user(), mariadb.password());
        exec(crm, "create table account (accountid uuid primary key default gen_random_uuid(),"
                + " accountnumber varchar(20) not null unique, name text, relationship text not null)");
        exec(crm, "create table contact (contactid uuid primary key default gen_random_uuid(),"
                + " email varchar(100) not null unique, fullname text,"
                + " parentcustomerid uuid references account (accountid) deferrable initially deferred)");
        exec(erp, "CREATE TABLE customer (no VARCHAR(20) PRIMARY KEY, name VARCHAR(100)) CHARACTER SET utf8mb4");
        exec(erp, "CREATE TABLE contact (email VARCHAR(100) PRIMARY KEY, name VARCHAR(100), company_no VARCHAR(20),"
                + " FOREIGN KEY (company_no) REFERENCES customer (no)) CHARACTER SET utf8mb4");
        // before the start: a customer and a prospect, each with a contact
        exec(crm, "insert into account (accountnumber, name, relationship) values ('1001', 'Fabrikam', 'customer'),"
                + " ('1002', 'Litware', 'prospect')");
        exec(crm, "insert into contact (email, fullname, parentcustomerid) select 'ann@fabrikam.example', 'Ann', accountid"
                + " from account where accountnumber = '1001'");
        exec(crm, "insert into contact (email, fullname, parentcustomerid) select 'pat@litware.example', 'Pat', accountid"
                + " from account where accountnumber = '1002'");

        Path password = Files.writeString(dir.resolve("mariadb.password"), mariadb.password());
        config = Files.writeString(dir.resolve("parent-filter.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-parentfilterit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: mariadb, url: "%s", user: %s, passwordFile: "%s", serverId: 9151 }
                maps:
                  - name: %s
                    a: %s.public.account
                    b: %s.%s.customer
                    direction: bidirectional
                    key: [ { a: accountnumber, b: no } ]
                    fields:
                      - { a: name, b: name }
                  - name: %s
                    a: %s.public.contact
                    b: %s.%s.contact
                    direction: bidirectional
                    key: [ { a: email, b: email } ]
                    fields:
                      - { a: fullname, b: name }
                      - { a: parentcustomerid, b: company_no, ref: { map: %s, a: accountid, b: no } }
                    filter: { a: "parentcustomerid.relationship = 'customer'" }
                    leavesScope: delete
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, mariadb.user(), password,
                customers(), crmName, erpName, erpName,
                crmName + "_contacts", crmName, erpName, erpName, customers()));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        Pipeline pipeline = new Pipeline(checked, host);
        pipeline.startApply();
        pipeline.startTransform();
        pipeline.startCapture(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    private static String customers() {
        return crmName + "_customers";
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName), crm, erp);
    }

    @Test
    void shouldSyncContactsOnlyWhileTheirAccountIsACustomerAndFollowItsChanges() throws Exception {
        // the initial sync: both accounts, but only the customer's contact
        awaitErpContacts(Map.of("ann@fabrikam.example", "Ann|1001"));
        assertThat(erpCustomers()).containsOnlyKeys("1001", "1002");

        // a contact created before its account, in one transaction: it follows once the account exists
        crm.setAutoCommit(false);
        exec(crm, "insert into contact (email, fullname, parentcustomerid) values ('cat@tailspin.example', 'Cat',"
                + " 'a0000000-0000-0000-0000-000000000003')");
        exec(crm, "insert into account (accountid, accountnumber, name, relationship) values"
                + " ('a0000000-0000-0000-0000-000000000003', '1003', 'Tailspin', 'customer')");
        crm.commit();
        crm.setAutoCommit(true);
        awaitErpContacts(Map.of("ann@fabrikam.example", "Ann|1001", "cat@tailspin.example", "Cat|1003"));

        // the prospect becomes a customer: its contact arrives, with the name it was given meanwhile
        exec(crm, "update contact set fullname = 'Pat Jones' where email = 'pat@litware.example'");
        exec(crm, "update account set relationship = 'customer' where accountnumber = '1002'");
        awaitErpContacts(Map.of("ann@fabrikam.example", "Ann|1001", "cat@tailspin.example", "Cat|1003",
                "pat@litware.example", "Pat Jones|1002"));

        // a customer stops being one: its contact leaves the ERP (leavesScope: delete); the CRM keeps it
        exec(crm, "update account set relationship = 'former' where accountnumber = '1001'");
        awaitErpContacts(Map.of("cat@tailspin.example", "Cat|1003", "pat@litware.example", "Pat Jones|1002"));
        assertThat(Sql.count(crm, "select count(*) from contact where email = 'ann@fabrikam.example'")).isEqualTo(1);
        assertThat(erpCustomers()).containsKeys("1001");

        // and comes back with its full current state
        exec(crm, "update contact set fullname = 'Ann Smith' where email = 'ann@fabrikam.example'");
        exec(crm, "update account set relationship = 'customer' where accountnumber = '1001'");
        awaitErpContacts(Map.of("ann@fabrikam.example", "Ann Smith|1001", "cat@tailspin.example", "Cat|1003",
                "pat@litware.example", "Pat Jones|1002"));
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    void shouldRefuseToVerifyAMapWhoseFilterTestsAParent() {
        java.io.StringWriter err = new java.io.StringWriter();
        int refused = io.dualsync.launcher.DualsyncCommand.commandLine().setErr(new java.io.PrintWriter(err))
                .setOut(new java.io.PrintWriter(new java.io.StringWriter()))
                .execute("verify", "--config", config.toString(), "--map", crmName + "_contacts");

        assertThat(refused).isEqualTo(2);
        assertThat(err.toString()).contains("cannot be verified: its filter on side a tests a parent's columns (parentcustomerid)");
    }

    private static void awaitErpContacts(Map<String, String> expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(erpContacts()).isEqualTo(expected);
        });
    }

    /** ERP contacts: email to "name|company number". */
    private static Map<String, String> erpContacts() throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = erp.createStatement(); ResultSet r = s.executeQuery("SELECT email, name, company_no FROM contact")) {
            while (r.next()) {
                rows.put(r.getString(1), r.getString(2) + "|" + r.getString(3));
            }
        }
        return rows;
    }

    private static Map<String, String> erpCustomers() throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = erp.createStatement(); ResultSet r = s.executeQuery("SELECT no, name FROM customer")) {
            while (r.next()) {
                rows.put(r.getString(1), r.getString(2));
            }
        }
        return rows;
    }
}
