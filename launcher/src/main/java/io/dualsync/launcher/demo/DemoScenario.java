package io.dualsync.launcher.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The fixed set of CRM changes {@code dualsync demo --check} makes, each with the ERP state it
 * must lead to: inserts, updates and deletes of in-scope rows, a value-mapped status, a null
 * replaced by a default, a row outside the company scope that must not arrive, and an update of
 * an unmapped column that must not touch the ERP row at all.
 */
public final class DemoScenario {

    static final String CUSTOMER = "sales.customer";
    static final String CONTACT = "sales.contact_person";
    static final Instant LEAP_SECOND_EDGE = Instant.parse("2024-02-29T23:59:59.999999Z");

    private DemoScenario() {
    }

    public static List<DemoChange> changes(DemoErp erpKind) {
        List<DemoChange> changes = new ArrayList<>();
        BigDecimal bigLimit = new BigDecimal("1234567890123456789012345678.0123456789");
        changes.add(new DemoChange("insert account A90001 (decimal(38,10), timestamptz with µs, emoji name)",
                crm -> insertAccount(crm, "A90001", "Zürich Ærø 東京 😀🚀", bigLimit, "CRONUS-US", "customer"),
                erp -> RowCheck.matches(erp, CUSTOMER, "no", "C-A90001", customer("Zürich Ærø 東京 😀🚀", bigLimit, "", "CRONUS-US"))));
        BigDecimal tiny = new BigDecimal("0.0000000001");
        changes.add(new DemoChange("update name and credit limit of A90001",
                crm -> exec(crm, "update account set name = ?, credit_limit = ? where account_number = 'A90001'", "Zürich 👍 ß", tiny),
                erp -> RowCheck.matches(erp, CUSTOMER, "no", "C-A90001", customer("Zürich 👍 ß", tiny, "", "CRONUS-US"))));
        changes.add(new DemoChange("block A90001 (status inactive -> blocked 'all')",
                crm -> exec(crm, "update account set status = 'inactive' where account_number = 'A90001'"),
                erp -> RowCheck.matches(erp, CUSTOMER, "no", "C-A90001", Map.of("blocked", "all"))));
        changes.add(new DemoChange("delete account A00003",
                crm -> exec(crm, "delete from account where account_number = 'A00003'"),
                erp -> RowCheck.absent(erp, CUSTOMER, "no", "C-A00003")));
        changes.add(new DemoChange("insert contact with no phone (ERP default '')",
                crm -> exec(crm, "insert into contact (id, email, first_name, last_name, account_number, phone, birthday, company_id) "
                                + "values (?, 'new.contact@example.com', 'Zoë', 'Ødegård-Ñúñez', 'A90001', null, ?, 'CRONUS-US')",
                        UUID.fromString("00000000-0000-0000-0000-000000090001"), LocalDate.of(2000, 2, 29)),
                erp -> RowCheck.matches(erp, CONTACT, "e_mail", "new.contact@example.com", contact("Zoë", "Ødegård-Ñúñez", "C-A90001", ""))));
        changes.add(new DemoChange("update that contact's phone",
                crm -> exec(crm, "update contact set phone = '+44 20 7946 0958' where email = 'new.contact@example.com'"),
                erp -> RowCheck.matches(erp, CONTACT, "e_mail", "new.contact@example.com", Map.of("phone_no", "+44 20 7946 0958"))));
        changes.add(new DemoChange("delete contact of A00003",
                crm -> exec(crm, "delete from contact where email = 'contact0.a00003@example.com'"),
                erp -> RowCheck.absent(erp, CONTACT, "e_mail", "contact0.a00003@example.com")));
        changes.add(new DemoChange("insert A90002 for CRONUS-DE (out of scope) then A90003 (in scope)",
                crm -> {
                    insertAccount(crm, "A90002", "Berlin Out Of Scope", BigDecimal.ONE, "CRONUS-DE", "customer");
                    insertAccount(crm, "A90003", "Boston In Scope", BigDecimal.TEN, "CRONUS-US", "customer");
                },
                erp -> {
                    // A90003 went through the same topic after A90002: once it is there, A90002 was filtered
                    Optional<String> inScope = RowCheck.matches(erp, CUSTOMER, "no", "C-A90003", Map.of("name", "Boston In Scope"));
                    boolean outOfScopeArrived = RowCheck.read(erp, CUSTOMER, "no", "C-A90002").isPresent();
                    return inScope.or(() -> orNothing(outOfScopeArrived, "out-of-scope row arrived"));
                }));
        changes.add(new DemoChange("update only the unmapped internal_notes of A00009 (ERP row untouched), then rename A00012",
                crm -> {
                    exec(crm, "update account set internal_notes = 'changed' where account_number = 'A00009'");
                    exec(crm, "update account set name = 'Renamed 12' where account_number = 'A00012'");
                },
                new DemoChange.ErpCheck() {
                    private String versionBefore;

                    @Override
                    public void before(Connection erp) throws SQLException {
                        versionBefore = RowCheck.version(erp, erpKind, "C-A00009");
                    }

                    @Override
                    public Optional<String> mismatch(Connection erp) throws SQLException {
                        // the rename of A00012 went through the same topic after the notes change,
                        // so once it is there the notes change has been processed: C-A00009 must be untouched
                        return RowCheck.matches(erp, CUSTOMER, "no", "C-A00012", Map.of("name", "Renamed 12"))
                                .or(() -> orNothing(!versionBefore.equals(version(erp)), "C-A00009 was rewritten"));
                    }

                    private String version(Connection erp) {
                        try {
                            return RowCheck.version(erp, erpKind, "C-A00009");
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
        return changes;
    }

    private static Map<String, Object> customer(String name, BigDecimal limit, String blocked, String company) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("credit_limit", limit.setScale(10));
        m.put("blocked", blocked);
        m.put("company_code", company);
        m.put("customer_since", LEAP_SECOND_EDGE);
        return m;
    }

    private static Map<String, Object> contact(String given, String surname, String customerNo, String phone) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("given_name", given);
        m.put("surname", surname);
        m.put("customer_no", customerNo);
        m.put("phone_no", phone);
        m.put("birth_date", LocalDate.of(2000, 2, 29));
        m.put("company_code", "CRONUS-US");
        return m;
    }

    private static Optional<String> orNothing(boolean bad, String what) {
        return bad ? Optional.of(what) : Optional.empty();
    }

    private static void insertAccount(Connection crm, String number, String name, BigDecimal limit, String company,
                                      String relationship) throws SQLException {
        exec(crm, "insert into account (account_number, name, credit_limit, status, relationship_type, company_id, customer_since) "
                        + "values (?, ?, ?, 'active', ?, ?, ?)",
                number, name, limit, relationship, company, OffsetDateTime.ofInstant(LEAP_SECOND_EDGE, ZoneOffset.ofHours(-5)));
    }

    static void exec(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }
}
