package io.dualsync.it.crash;

import io.dualsync.contract.Topics;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.infra.EmbeddedPostgres;
import io.dualsync.launcher.infra.Infrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety (issue 5): the three services run as child JVMs, as deployed, over a private
 * broker, registry and PostgreSQL server, while both sides' users insert, update and delete
 * without pause. The harness kills services with SIGKILL at random moments (seeded: the seed is
 * printed, {@code -Ddualsync.crash.seed} repeats a run), then restarts the broker, the database
 * server and the registry, and stops capture while the source writes on so its replication slot
 * grows. After each phase it stops the writers, waits until every side holds what its source
 * holds, and checks:
 * <ul>
 *   <li><b>lost</b>: a row of the source missing on the target, or differing in any column (its
 *       final version never arrived), or a target row whose source row is gone;</li>
 *   <li><b>duplicated</b>: the same source change (table, key, version, operation) written twice
 *       by dualsync, as the target's audit trigger recorded it (a redelivered change must be
 *       skipped by apply's bookkeeping, so it never writes); and writes that went back to an older
 *       version;</li>
 *   <li><b>bookkeeping</b>: apply's row states with an image equal the rows it holds.</li>
 * </ul>
 * Apply may merge several changes of one row in a batch into the newest, so intermediate versions
 * need not be written at all; they are not counted as lost.
 *
 * <p>It runs in every build, bounded to a few minutes by its default 6 kills. Knobs:
 * {@code -Ddualsync.crash.kills} (default 6; 12 or more for a longer soak), {@code -Ddualsync.crash.writerPauseMs}
 * (default 50), {@code -Ddualsync.crash.noProgressSeconds} (default 300), {@code -Ddualsync.crash.seed}.
 */
class CrashSafetyIT {

    /** Keys per writer range: side A writes [1, KEY_RANGE), side B [B_FIRST_KEY, B_FIRST_KEY + KEY_RANGE). */
    static final long KEY_RANGE = 100_000_000L;
    private static final long A_FIRST_KEY = 1;
    private static final long B_FIRST_KEY = 1_000_000_000L;
    private static final long BULK_FIRST_KEY = 500_000_000L;
    private static final int BULK_ROWS = 5_000;
    private static final Logger log = LoggerFactory.getLogger(CrashSafetyIT.class);
    private static final int KILLS = Integer.getInteger("dualsync.crash.kills", 6);
    private static final long WRITER_PAUSE_MS = Long.getLong("dualsync.crash.writerPauseMs", 50);
    /**
     * On a quiet machine every phase agrees within seconds. On one loaded far beyond its cores
     * (load 20 on 2 cores, seen) a killed service takes 60-100 s just to start again, plus the
     * consumer group's 45 s session timeout, so the waits are generous: a lost change stays
     * lost however long one waits, so they cost nothing in what the test can find.
     */
    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofSeconds(600);
    /** Stop waiting for the sides to agree when the number of differing rows has not fallen for this long. */
    private static final Duration NO_PROGRESS_TIMEOUT = Duration.ofSeconds(Long.getLong("dualsync.crash.noProgressSeconds", 300));

    @TempDir
    Path dir;

    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> phaseResults = new LinkedHashMap<>();
    private final Map<String, Integer> infraRestarts = new LinkedHashMap<>();
    private long verifiedRows;
    private long appliedWrites;
    private long duplicated;
    private long lost;

    @Test
    void shouldLoseNoChangeAndApplyNoneTwiceWhenServicesAreKilledAndTheInfrastructureRestarts() throws Exception {
        long seed = Long.getLong("dualsync.crash.seed", new Random().nextLong());
        log.info("crash harness seed {} (repeat with -Ddualsync.crash.seed={}), {} kills", seed, seed, KILLS);
        Random random = new Random(seed);
        long started = System.nanoTime();

        CompletableFuture<EmbeddedPostgres> startingPostgres = CompletableFuture.supplyAsync(EmbeddedPostgres::start);
        try (Infrastructure infra = Infrastructure.start(); EmbeddedPostgres postgres = startingPostgres.join()) {
            String urlA = postgres.createDatabase("crash_a");
            String urlB = postgres.createDatabase("crash_b");
            try (Connection a = CrashWriter.connect(urlA, postgres.user()); Statement s = a.createStatement()) {
                s.execute(SyncChecks.AUDIT_DDL);
                s.execute(SyncChecks.createTable("item"));
                s.execute(SyncChecks.createTable("ledger"));
            }
            try (Connection b = CrashWriter.connect(urlB, postgres.user()); Statement s = b.createStatement()) {
                s.execute(SyncChecks.AUDIT_DDL);
                s.execute(SyncChecks.createTable("item"));
                s.execute(SyncChecks.createTable("ledger_copy"));
            }
            Path config = writeConfig(infra, urlA, urlB, postgres.user());
            // a bad configuration or database fails here, not as services that keep exiting
            Startup.loadAndCheck(config);
            CrashWriter writerA = new CrashWriter("a", urlA, postgres.user(), List.of("item", "item", "ledger"),
                    A_FIRST_KEY, random.nextLong(), WRITER_PAUSE_MS);
            CrashWriter writerB = new CrashWriter("b", urlB, postgres.user(), List.of("item"),
                    B_FIRST_KEY, random.nextLong(), WRITER_PAUSE_MS);
            List<CrashWriter> writers = List.of(writerA, writerB);
            ServiceSupervisor services = new ServiceSupervisor(config, Files.createDirectories(dir.resolve("services")));
            try (services) {
                services.startAll();
                writers.forEach(CrashWriter::start);
                Checker checker = new Checker(urlA, urlB, postgres.user(), writers, services, infra);

                services.awaitAllRunning(Duration.ofMinutes(3));
                // (a) SIGKILL of each service type at random moments while all are up, restarted at once
                for (int i = 0; i < KILLS; i++) {
                    services.awaitAllRunning(Duration.ofMinutes(3));
                    Thread.sleep(500 + random.nextInt(4_000));
                    // every service at least KILLS / 3 times, in a random order
                    String victim = ServiceSupervisor.SERVICES.get(i < 3 * (KILLS / 3)
                            ? leastKilled(services, random) : random.nextInt(3));
                    services.requireNotFlapping();
                    services.kill(victim);
                }
                Thread.sleep(2_000);
                checker.quiesceAndCheck("sigkill x" + services.totalKills());

                // (b) the broker restarted under load
                Thread.sleep(2_000);
                infra.kafka().restartBroker();
                infraRestarts.merge("broker", 1, Integer::sum);
                Thread.sleep(3_000);
                checker.quiesceAndCheck("broker restart");

                // (c) the database server restarted (it holds both sides: the targets and the sources)
                writers.forEach(CrashWriter::pause);
                postgres.restart();
                infraRestarts.merge("postgres", 1, Integer::sum);
                writers.forEach(CrashWriter::resume);
                Thread.sleep(5_000);
                checker.quiesceAndCheck("database restart");

                // (d) the registry killed and restarted under load
                Thread.sleep(2_000);
                infra.registry().restart(true);
                infraRestarts.merge("registry", 1, Integer::sum);
                Thread.sleep(3_000);
                checker.quiesceAndCheck("registry restart");

                // (e) capture down while the sources write on: the replication slots hold the WAL
                services.killAndKeepDown("capture");
                Map<String, Long> lagBefore = checker.slotLag();
                Thread.sleep(5_000);
                bulkChanges(urlA, postgres.user());
                Thread.sleep(5_000);
                Map<String, Long> lagAfter = checker.slotLag();
                log.info("capture down: replication slot WAL retained before {} after {} (bytes)", lagBefore, lagAfter);
                long grown = lagAfter.values().stream().mapToLong(Long::longValue).max().orElse(0)
                        - lagBefore.values().stream().mapToLong(Long::longValue).max().orElse(0);
                if (grown < 1_000_000) {
                    problems.add("the replication slots grew only " + grown + " bytes while capture was down");
                }
                services.restart("capture");
                checker.quiesceAndCheck("capture restart after slot growth");

                for (CrashWriter w : writers) {
                    w.stop();
                }
                long dead = deadLetters(infra, List.of("crash_a", "crash_b"));
                if (dead > 0) {
                    problems.add(dead + " records in the dead-letter topics");
                }
                long seconds = (System.nanoTime() - started) / 1_000_000_000;
                log.info("""
                                crash harness report (seed {}):
                                  kills (SIGKILL) per service: {}, total {}
                                  service starts per service: {}; exits on their own (restarted by the supervisor): {}
                                  infrastructure restarts: {}
                                  changes written: side a {} (ins {} upd {} del {}), side b {} (ins {} upd {} del {}), bulk {} ; writer transactions lost to connection errors {}
                                  writes by dualsync audited on the targets: {}; rows verified (summed over the phases): {}
                                  dead letters: {}
                                  per phase: {}
                                  LOST={} DUPLICATED={}
                                  wall time {} s""",
                        seed, services.kills(), services.totalKills(), services.starts(), services.selfExits(),
                        infraRestarts,
                        writerA.changes(), writerA.inserts(), writerA.updates(), writerA.deletes(),
                        writerB.changes(), writerB.inserts(), writerB.updates(), writerB.deletes(), 2 * BULK_ROWS,
                        writerA.failedTransactions() + writerB.failedTransactions(),
                        appliedWrites, verifiedRows, dead, phaseResults, lost, duplicated, seconds);
                services.selfExitReasons().forEach(r -> log.info("self exit: {}", r));
                assertThat(writerA.failure()).isNull();
                assertThat(writerB.failure()).isNull();
                assertThat(services.totalKills()).isGreaterThanOrEqualTo(KILLS);
                assertThat(problems).as("seed " + seed).isEmpty();
                assertThat(lost).isZero();
                assertThat(duplicated).isZero();
            } finally {
                for (CrashWriter w : writers) {
                    w.stop();
                }
                services.copyLogs(Path.of("target", "crash-logs"));
            }
        }
    }

    private static int leastKilled(ServiceSupervisor services, Random random) {
        Map<String, Integer> kills = services.kills();
        int least = ServiceSupervisor.SERVICES.stream().mapToInt(s -> kills.getOrDefault(s, 0)).min().orElse(0);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (kills.getOrDefault(ServiceSupervisor.SERVICES.get(i), 0) == least) {
                candidates.add(i);
            }
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** While capture is down: one large transaction of inserts, then one that updates them all. */
    private static void bulkChanges(String url, String user) throws SQLException {
        try (Connection c = CrashWriter.connect(url, user); Statement s = c.createStatement()) {
            s.execute("insert into ledger (id, version, payload, amount, changed_at) select " + BULK_FIRST_KEY
                    + " + g, 1, 'bulk ' || g || ' ü€😀', g * 1.2345, clock_timestamp() from generate_series(0, "
                    + (BULK_ROWS - 1) + ") g");
            s.execute("update ledger set version = version + 1, payload = payload || ' updated', amount = amount + 0.0001 "
                    + "where id >= " + BULK_FIRST_KEY + " and id < " + (BULK_FIRST_KEY + BULK_ROWS));
        }
    }

    private Path writeConfig(Infrastructure infra, String urlA, String urlB, String user) throws Exception {
        String fields = List.of("id", "version", "payload", "amount", "changed_at").stream()
                .map(c -> "      - { a: " + c + ", b: " + c + " }")
                .collect(java.util.stream.Collectors.joining("\n"));
        return Files.writeString(dir.resolve("crash.yaml"), """
                kafka: { bootstrap: "%s", partitions: 2 }
                registry: { url: "%s" }
                observability: { port: 0 }   # three service processes on one host: any free port each
                endpoints:
                  crash_a: { kind: postgres, url: "%s", user: %s }
                  crash_b: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: items
                    a: crash_a.public.item
                    b: crash_b.public.item
                    direction: bidirectional
                    key: [ { a: id, b: id } ]
                    fields:
                %s
                    deletes: delete
                  - name: ledger
                    a: crash_a.public.ledger
                    b: crash_b.public.ledger_copy
                    direction: a-to-b
                    key: [ { a: id, b: id } ]
                    fields:
                %s
                    deletes: delete
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(), urlA, user, urlB, user,
                fields, fields));
    }

    private static long deadLetters(Infrastructure infra, List<String> endpoints) {
        try {
            return io.dualsync.it.TopicOffsets.endOffsets(infra.kafka().bootstrapServers(),
                    endpoints.stream().map(Topics::deadLetter).toList());
        } catch (Exception e) {
            throw new IllegalStateException("could not count the dead letters", e);
        }
    }

    /** Stops the writers, waits for both sides to agree, checks, and lets the writers go on. */
    private final class Checker {
        private final String urlA;
        private final String urlB;
        private final String user;
        private final List<CrashWriter> writers;
        private final ServiceSupervisor services;
        private final Infrastructure infra;

        Checker(String urlA, String urlB, String user, List<CrashWriter> writers, ServiceSupervisor services,
                Infrastructure infra) {
            this.services = services;
            this.infra = infra;
            this.urlA = urlA;
            this.urlB = urlB;
            this.user = user;
            this.writers = writers;
        }

        Map<String, Long> slotLag() throws SQLException {
            try (Connection a = CrashWriter.connect(urlA, user)) {
                return SyncChecks.slotLag(a);
            }
        }

        void quiesceAndCheck(String phase) throws Exception {
            writers.forEach(CrashWriter::pause);
            try {
                long waitStarted = System.nanoTime();
                long deadline = waitStarted + CONVERGENCE_TIMEOUT.toNanos();
                List<SyncChecks.Difference> differences = differences();
                int fewest = Integer.MAX_VALUE;
                long lastProgress = System.nanoTime();
                while (differences.stream().anyMatch(d -> !d.none()) && System.nanoTime() < deadline
                        && System.nanoTime() - lastProgress < NO_PROGRESS_TIMEOUT.toNanos()) {
                    services.requireNotFlapping();
                    Thread.sleep(1_000);
                    differences = differences();
                    int now = differences.stream().mapToInt(SyncChecks.Difference::count).sum();
                    if (now < fewest) {
                        fewest = now;
                        lastProgress = System.nanoTime();
                    }
                }
                long waited = (System.nanoTime() - waitStarted) / 1_000_000;
                int differing = differences.stream().mapToInt(SyncChecks.Difference::count).sum();
                if (differing > 0) {
                    lost += differing;
                    problems.add(phase + ": not in sync after " + waited + " ms: " + differences);
                    logHistories(phase, differences);
                }
                long rows;
                String auditLine;
                try (Connection a = CrashWriter.connect(urlA, user); Connection b = CrashWriter.connect(urlB, user)) {
                    rows = SyncChecks.count(a, "item", A_FIRST_KEY, A_FIRST_KEY + KEY_RANGE)
                            + SyncChecks.count(b, "item", B_FIRST_KEY, B_FIRST_KEY + KEY_RANGE)
                            + SyncChecks.count(a, "ledger", 0, Long.MAX_VALUE);
                    // dualsync writes: A-range items and the ledger on B, B-range items on A
                    List<SyncChecks.AuditResult> audits = List.of(SyncChecks.audit(b, "item"),
                            SyncChecks.audit(b, "ledger_copy"), SyncChecks.audit(a, "item"));
                    long applied = audits.stream().mapToLong(SyncChecks.AuditResult::applied).sum();
                    long twice = audits.stream().mapToLong(SyncChecks.AuditResult::duplicated).sum();
                    long back = audits.stream().mapToLong(SyncChecks.AuditResult::backwards).sum();
                    appliedWrites = applied;
                    if (twice > duplicated) {
                        problems.add(phase + ": " + (twice - duplicated) + " source changes written twice by dualsync: "
                                + audits.stream().flatMap(r -> r.examples().stream()).toList());
                        duplicated = twice;
                    }
                    if (back > 0) {
                        problems.add(phase + ": " + back + " writes by dualsync went back to an older version");
                    }
                    // a write by dualsync on a side's own range would be an echo
                    long echoes = SyncChecks.single(a, "select count(*) from crash_audit where app <> '"
                            + CrashWriter.APPLICATION_NAME + "' and key < " + B_FIRST_KEY)
                            + SyncChecks.single(b, "select count(*) from crash_audit where app <> '"
                            + CrashWriter.APPLICATION_NAME + "' and key >= " + B_FIRST_KEY);
                    if (echoes > 0) {
                        problems.add(phase + ": " + echoes + " writes by dualsync of rows their own side owns (echoes)");
                    }
                    long[] itemsOnB = SyncChecks.bookkeeping(b, "items", "item", A_FIRST_KEY, A_FIRST_KEY + KEY_RANGE);
                    long[] ledgerOnB = SyncChecks.bookkeeping(b, "ledger", "ledger_copy", 0, Long.MAX_VALUE);
                    long[] itemsOnA = SyncChecks.bookkeeping(a, "items", "item", B_FIRST_KEY, B_FIRST_KEY + KEY_RANGE);
                    for (long[] bk : List.of(itemsOnB, ledgerOnB, itemsOnA)) {
                        if (bk[0] != bk[1]) {
                            problems.add(phase + ": bookkeeping holds " + bk[0] + " row images but the target " + bk[1] + " rows");
                        }
                    }
                    auditLine = "rows " + rows + ", dualsync writes " + applied + ", twice " + twice + ", backwards " + back
                            + ", echoes " + echoes + ", row states items@b " + itemsOnB[0] + "/" + itemsOnB[1]
                            + " ledger@b " + ledgerOnB[0] + "/" + ledgerOnB[1] + " items@a " + itemsOnA[0] + "/" + itemsOnA[1]
                            + ", dead letters so far " + deadLetters(infra, List.of("crash_a", "crash_b"))
                            + ", services exited on their own so far " + services.selfExits()
                            + ", waited " + waited + " ms";
                }
                verifiedRows += rows;
                phaseResults.put(phase, auditLine);
                log.info("phase '{}': {}; differences: {}", phase, auditLine, differing);
            } finally {
                writers.forEach(CrashWriter::resume);
            }
        }

        /** Versions, operations and writers of the first differing keys on both sides, and their row states. */
        private void logHistories(String phase, List<SyncChecks.Difference> differences) throws SQLException {
            try (Connection a = CrashWriter.connect(urlA, user); Connection b = CrashWriter.connect(urlB, user)) {
                for (SyncChecks.Difference d : differences) {
                    List<Long> keys = new ArrayList<>();
                    java.util.stream.Stream.of(d.missing(), d.unexpected(), d.differing())
                            .forEach(set -> set.stream().limit(3).forEach(keys::add));
                    for (long key : keys) {
                        log.warn("phase '{}' key {}: side a {}; side b {}", phase, key,
                                SyncChecks.history(a, key), SyncChecks.history(b, key));
                    }
                }
            }
        }

        private List<SyncChecks.Difference> differences() throws SQLException {
            try (Connection a = CrashWriter.connect(urlA, user); Connection b = CrashWriter.connect(urlB, user)) {
                return List.of(
                        SyncChecks.compare(a, "item", b, "item", A_FIRST_KEY, A_FIRST_KEY + KEY_RANGE),
                        SyncChecks.compare(b, "item", a, "item", B_FIRST_KEY, B_FIRST_KEY + KEY_RANGE),
                        SyncChecks.compare(a, "ledger", b, "ledger_copy", 0, Long.MAX_VALUE));
            }
        }
    }
}
