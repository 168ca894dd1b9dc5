package io.dualsync.launcher.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The demo's two databases: creates the CRM and ERP tables and seeds the CRM with accounts and
 * contacts whose values exercise exactness — decimals with ten places, timestamps with
 * microseconds, and names in many scripts with emoji. Deterministic: the same rows every run.
 */
public final class DemoData {

    /** Companies of the seeded rows; the demo maps sync only the first two. */
    public static final List<String> COMPANIES = List.of("CRONUS-US", "CRONUS-UK", "CRONUS-DE");

    private static final List<String> NAMES = List.of(
            "Adatum Corporation", "Müller & Söhne GmbH", "東京商事株式会社", "Café Olé ☕",
            "Þórsdóttir ehf.", "Société Générale d'Électricité", "Rocket Supplies 🚀", "Ελληνικά Τρόφιμα ΑΕ",
            "Łódź Logistics Sp. z o.o.", "Fabrikam, Inc.", "Contoso Ltd.", "Ñandú Exportaciones");
    private static final List<String> FIRST = List.of("Anna", "Jörg", "Zoë", "Łukasz", "Ørjan", "Siobhán", "明", "Ana María");
    private static final List<String> LAST = List.of("Smith", "Müller", "O'Brien", "Nováková", "García-López", "山田", "Dubois", "Søren");

    private DemoData() {
    }

    public static void createCrmTables(Connection crm) throws SQLException {
        runScript(crm, "/demo/crm.sql");
    }

    public static void createErpTables(Connection erp, DemoErp kind) throws SQLException {
        runScript(erp, kind.ddlResource());
    }

    /** Inserts {@code accounts} accounts and 1.5 contacts per account into the CRM. */
    public static void seedCrm(Connection crm, int accounts) throws SQLException {
        boolean autoCommit = crm.getAutoCommit();
        crm.setAutoCommit(false);
        try (PreparedStatement a = crm.prepareStatement("""
                insert into account (account_number, name, credit_limit, status, relationship_type, company_id, customer_since, internal_notes)
                values (?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement c = crm.prepareStatement("""
                insert into contact (id, email, first_name, last_name, account_number, phone, birthday, company_id)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 1; i <= accounts; i++) {
                String number = accountNumber(i);
                String company = COMPANIES.get(i % COMPANIES.size());
                a.setString(1, number);
                a.setString(2, NAMES.get(i % NAMES.size()) + " " + i);
                a.setBigDecimal(3, creditLimit(i));
                a.setString(4, i % 7 == 0 ? "inactive" : "active");
                a.setString(5, i % 10 == 0 ? "vendor" : "customer");
                a.setString(6, company);
                a.setObject(7, OffsetDateTime.of(2020, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, (i % 1000) * 1_000_000 + i % 1000 * 1000, ZoneOffset.ofHours(i % 5)));
                a.setString(8, "notes for " + number);
                a.addBatch();
                for (int k = 0; k < (i % 2 == 0 ? 2 : 1); k++) {
                    c.setObject(1, UUID.nameUUIDFromBytes((number + "/" + k).getBytes(StandardCharsets.UTF_8)));
                    c.setString(2, "contact" + k + "." + number.toLowerCase() + "@example.com");
                    c.setString(3, FIRST.get((i + k) % FIRST.size()));
                    c.setString(4, LAST.get((i * 3 + k) % LAST.size()));
                    c.setString(5, number);
                    c.setString(6, (i + k) % 5 == 0 ? null : "+1 555 " + String.format("%04d", i));
                    c.setObject(7, LocalDate.of(1960 + i % 40, 1 + i % 12, 1 + i % 28));
                    c.setString(8, company);
                    c.addBatch();
                }
                if (i % 500 == 0) {
                    a.executeBatch();
                    c.executeBatch();
                }
            }
            a.executeBatch();
            c.executeBatch();
            crm.commit();
        } finally {
            crm.setAutoCommit(autoCommit);
        }
    }

    public static String accountNumber(int i) {
        return String.format("A%05d", i);
    }

    /** A credit limit with all ten decimal places in use, and some near the 28 integer digits allowed. */
    static BigDecimal creditLimit(int i) {
        return i % 97 == 0
                ? new BigDecimal("9999999999999999999999999999.9999999999").subtract(BigDecimal.valueOf(i))
                : new BigDecimal(i).multiply(new BigDecimal("1000.0123456789"));
    }

    private static void runScript(Connection c, String resource) throws SQLException {
        try (InputStream in = DemoData.class.getResourceAsStream(resource); Statement s = c.createStatement()) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String statement : sql.split(";")) {
                String withoutComments = statement.replaceAll("(?m)^--.*$", "").trim();
                if (!withoutComments.isEmpty()) {
                    s.execute(withoutComments);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
