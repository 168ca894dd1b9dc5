package io.dualsync.transform;

import io.dualsync.config.ConflictPolicy;
import io.dualsync.config.Side;
import io.dualsync.contract.CanonicalText;
import io.dualsync.contract.MappedColumns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.dualsync.transform.Fixture.ACCOUNT;
import static io.dualsync.transform.Fixture.CUSTOMER;
import static io.dualsync.transform.MappingTopologyTest.account;
import static io.dualsync.transform.Rows.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Convergence of the arbitrating policies over many random interleavings, deterministically: the
 * topology runs in the test driver between two modelled databases. Each side's model applies
 * mapped records the way the apply service does (a change not newer than the row's last applied
 * position is skipped; one sent against an image is written only over that image, otherwise left
 * to the filter; a write that changes nothing leaves no event) and captures user and sync writes
 * in commit order. A random schedule interleaves user edits on both sides (mapped and unmapped
 * columns, commit times that sometimes tie), capture delivery and apply delivery; then everything
 * in flight is delivered. Both sides must then hold the same mapped values.
 */
class EchoFilterConvergenceTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    /** 10 per policy by default (about 2 s each on a loaded machine); more with -Ddualsync.convergence.scenarios=N */
    private static final int SCENARIOS = Integer.getInteger("dualsync.convergence.scenarios", 10);
    private static final int STEPS = 40;

    @TempDir
    Path stateDir;

    @Test
    void shouldConvergeUnderLatestWinsAfterAnyInterleaving() {
        converges(new ConflictPolicy(ConflictPolicy.Kind.LATEST_WINS, Optional.empty()));
    }

    @Test
    void shouldConvergeUnderErpWinsAfterAnyInterleaving() {
        converges(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp")));
    }

    @Test
    void shouldConvergeUnderCrmWinsAfterAnyInterleaving() {
        converges(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("crm")));
    }

    private void converges(ConflictPolicy policy) {
        Fixture fixture = Fixture.customers().withConflicts(policy);
        try (TransformHarness h = new TransformHarness(fixture, stateDir)) {
            for (int scenario = 0; scenario < SCENARIOS; scenario++) {
                new Scenario(h, fixture, scenario).run();
            }
        }
    }

    /** One side's table row as the apply service and the capture see it. */
    private static final class Modelled {
        final String name;
        final DebeziumEvents events;
        final List<String> writtenByOther;
        final Deque<DebeziumEvents.RawEvent> captured = new ArrayDeque<>();
        final Deque<TransformHarness.Mapped> inbound = new ArrayDeque<>();
        Map<String, Object> row;
        long appliedPosition = -1;

        Modelled(String name, DebeziumEvents events, List<String> writtenByOther) {
            this.name = name;
            this.events = events;
            this.writtenByOther = writtenByOther;
        }

        String image() {
            Map<String, Object> image = new LinkedHashMap<>();
            writtenByOther.forEach(c -> image.put(c, row.get(c)));
            return CanonicalText.rowHash(image);
        }

        void userWrites(Map<String, Object> next, Instant committed) {
            events.committedAt(committed);
            captured.add(row == null ? events.insert(next) : events.update(row, next));
            row = next;
        }

        /** Applies the next mapped record as the apply service would. */
        void applyNext() {
            TransformHarness.Mapped m = inbound.poll();
            if (m.change().sourcePosition() <= appliedPosition) {
                return;
            }
            if (row != null && m.arbitratedHash() != null && !m.arbitratedHash().equals(image())) {
                return; // deferred: the row holds a local change the filter settles when it arrives
            }
            appliedPosition = m.change().sourcePosition();
            Map<String, Object> next = row == null ? new LinkedHashMap<>(m.columns()) : with(row, flatten(m.columns()));
            if (row != null && image(next).equals(image())) {
                return; // the row already holds these values: no write, no event
            }
            captured.add((row == null ? events.insert(next) : events.update(row, next)).madeBySync());
            row = next;
        }

        private String image(Map<String, Object> other) {
            Map<String, Object> saved = row;
            row = other;
            try {
                return image();
            } finally {
                row = saved;
            }
        }

        private static Object[] flatten(Map<String, Object> columns) {
            Object[] pairs = new Object[columns.size() * 2];
            int i = 0;
            for (Map.Entry<String, Object> e : columns.entrySet()) {
                pairs[i++] = e.getKey();
                pairs[i++] = e.getValue();
            }
            return pairs;
        }
    }

    private static final class Scenario {
        private final TransformHarness h;
        private final Random random;
        private final int id;
        private final Modelled crm;
        private final Modelled erp;
        private long micros;
        private int edits;

        Scenario(TransformHarness h, Fixture fixture, int id) {
            this.h = h;
            this.id = id;
            this.random = new Random(id);
            this.crm = new Modelled("crm", h.events(ACCOUNT),
                    MappedColumns.of(fixture.config().maps().getFirst(), Side.B, fixture.catalog()).columns());
            this.erp = new Modelled("erp", h.events(CUSTOMER),
                    MappedColumns.of(fixture.config().maps().getFirst(), Side.A, fixture.catalog()).columns());
        }

        void run() {
            crm.userWrites(account(id + 1, "S" + id), T0);
            drain();
            assertThat(erp.row).as("scenario %s: first sync", id).isNotNull();
            for (int step = 0; step < STEPS; step++) {
                switch (random.nextInt(8)) {
                    case 0 -> edit(crm, "name");
                    case 1 -> edit(erp, "customer_name");
                    case 2 -> edit(random.nextBoolean() ? crm : erp, null);
                    case 3, 4 -> deliverCaptured(random.nextBoolean() ? crm : erp);
                    default -> deliverInbound(random.nextBoolean() ? crm : erp);
                }
            }
            drain();
            assertThat(erp.row.get("customer_name")).as("scenario %s: ERP name vs CRM name", id).isEqualTo(crm.row.get("name"));
            assertThat(erp.row.get("credit_limit")).as("scenario %s: credit", id).isEqualTo(crm.row.get("credit_limit"));
        }

        /** A user edit of a mapped column ({@code column}) with a new credit limit too, or of an unmapped one (null). */
        private void edit(Modelled side, String column) {
            micros += random.nextInt(2); // commit times tie now and then (MariaDB's binlog has seconds only)
            Instant committed = T0.plusNanos(1_000 * micros);
            edits++;
            Map<String, Object> next = column == null
                    ? with(side.row, side == crm ? "notes" : "internal_note", "note " + edits)
                    : with(side.row, column, side.name + " " + edits, "credit_limit", new BigDecimal(edits + ".5000000000"));
            side.userWrites(next, committed);
        }

        private void deliverCaptured(Modelled side) {
            if (!side.captured.isEmpty()) {
                h.send(side.captured.poll());
                collect();
            }
        }

        private void deliverInbound(Modelled side) {
            if (!side.inbound.isEmpty()) {
                side.applyNext();
            }
        }

        private void collect() {
            erp.inbound.addAll(h.mapped("customers", CUSTOMER));
            crm.inbound.addAll(h.mapped("customers", ACCOUNT));
        }

        /** Delivers everything in flight, in random order between the queues, until nothing moves. */
        private void drain() {
            for (int i = 0; i < 10_000; i++) {
                if (crm.captured.isEmpty() && erp.captured.isEmpty() && crm.inbound.isEmpty() && erp.inbound.isEmpty()) {
                    return;
                }
                switch (random.nextInt(4)) {
                    case 0 -> deliverCaptured(crm);
                    case 1 -> deliverCaptured(erp);
                    case 2 -> deliverInbound(crm);
                    default -> deliverInbound(erp);
                }
            }
            fail("scenario " + id + ": changes still in flight after 10,000 deliveries (a loop)");
        }
    }
}
