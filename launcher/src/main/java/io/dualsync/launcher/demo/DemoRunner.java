package io.dualsync.launcher.demo;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives the demo against running services: waits for the initial sync, then makes each
 * {@link DemoChange} on the CRM and polls the ERP until it shows the result, timing each change
 * from the CRM commit to the moment it is visible on the ERP.
 */
public final class DemoRunner {

    /** How long one change may take before the demo calls it lost. */
    static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);

    private final Connection crm;
    private final Connection erp;
    private final PrintWriter out;

    public DemoRunner(Connection crm, Connection erp, PrintWriter out) {
        this.crm = crm;
        this.erp = erp;
        this.out = out;
    }

    /** Outcome of one change: synced or not, and after how long. */
    public record Outcome(DemoChange change, boolean synced, Duration latency, String lastMismatch) {
    }

    /** Waits until the ERP holds as many customers and contacts as the CRM has in scope. */
    public boolean awaitInitialSync(Duration timeout) throws SQLException, InterruptedException {
        long expectedCustomers = count(crm, "select count(*) from account where relationship_type = 'customer' "
                + "and company_id in ('CRONUS-US', 'CRONUS-UK')");
        long expectedContacts = count(crm, "select count(*) from contact where company_id in ('CRONUS-US', 'CRONUS-UK')");
        out.printf("CRM: %d accounts, %d contacts; in scope for the ERP: %d customers, %d contacts%n",
                count(crm, "select count(*) from account"), count(crm, "select count(*) from contact"),
                expectedCustomers, expectedContacts);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long lastPrint = 0;
        while (System.nanoTime() < deadline) {
            long customers = count(erp, "select count(*) from sales.customer");
            long contacts = count(erp, "select count(*) from sales.contact_person");
            if (customers == expectedCustomers && contacts == expectedContacts) {
                out.printf("Initial sync complete: ERP has %d customers and %d contacts after %d ms%n",
                        customers, contacts, Duration.ofNanos(System.nanoTime() - start).toMillis());
                out.flush();
                return true;
            }
            if (System.nanoTime() - lastPrint > 2_000_000_000L) {
                out.printf("  initial sync: ERP has %d/%d customers, %d/%d contacts%n", customers, expectedCustomers, contacts, expectedContacts);
                lastPrint = System.nanoTime();
                out.flush();
            }
            Thread.sleep(100);
        }
        out.println("Initial sync did not complete within " + timeout.toSeconds() + " s");
        return false;
    }

    /** Makes every change in turn, printing each outcome as it happens. */
    public List<Outcome> run(List<DemoChange> changes) throws SQLException, InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        for (DemoChange change : changes) {
            change.onErp().before(erp);
            change.onCrm().run(crm);
            long committed = System.nanoTime();
            long deadline = committed + CHANGE_TIMEOUT.toNanos();
            Optional<String> mismatch = change.onErp().mismatch(erp);
            while (mismatch.isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(2);
                mismatch = change.onErp().mismatch(erp);
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - committed);
            Outcome outcome = new Outcome(change, mismatch.isEmpty(), latency, mismatch.orElse(""));
            out.printf("  %s %-95s %s%n", outcome.synced() ? "✔" : "✘", change.description(),
                    outcome.synced() ? "synced in " + latency.toMillis() + " ms" : "NOT synced: " + outcome.lastMismatch());
            out.flush();
            outcomes.add(outcome);
        }
        return outcomes;
    }

    /** One line summing up the outcomes: {@code N/N changes synced}, with latencies. */
    public static String summary(List<Outcome> outcomes) {
        long synced = outcomes.stream().filter(Outcome::synced).count();
        List<Long> millis = outcomes.stream().filter(Outcome::synced).map(o -> o.latency().toMillis()).sorted().toList();
        String latency = millis.isEmpty() ? "" : String.format(" (end-to-end latency per change: median %d ms, max %d ms)",
                millis.get(millis.size() / 2), millis.get(millis.size() - 1));
        return synced + "/" + outcomes.size() + " changes synced" + latency;
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
