package io.dualsync.it.crash;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The users of one side: a thread making a steady stream of inserts, updates and deletes in its
 * own key range of some tables, each change committed in a transaction of 1 to 4 changes. Every
 * insert writes version 1 and every update increments {@code version}, and a key is never
 * reused, so (table, key, version, operation) names one source change. Connections carry the
 * application name {@link #APPLICATION_NAME}, which the audit trigger records: any audited write
 * with another name was made by dualsync's apply.
 */
final class CrashWriter implements Runnable {

    static final String APPLICATION_NAME = "crash-writer";

    private final String name;
    private final String url;
    private final String user;
    private final List<String> tables;
    private final long firstKey;
    private final Random random;
    private final long pauseMillis;
    private final Semaphore gate = new Semaphore(1);
    private final Map<String, Map<Long, Integer>> live = new HashMap<>();
    private final Map<String, Long> nextKey = new HashMap<>();
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong failedTransactions = new AtomicLong();
    private volatile boolean stopped;
    private volatile Throwable failure;
    private Connection connection;
    private Thread thread;

    /**
     * @param tables   the tables this side's users write, each with columns
     *                 {@code id bigint pk, version int, payload text, amount numeric(20,4), changed_at timestamptz}
     * @param firstKey the first key of this writer's range; other writers use other ranges
     */
    CrashWriter(String name, String url, String user, List<String> tables, long firstKey, long seed, long pauseMillis) {
        this.name = name;
        this.url = url;
        this.user = user;
        this.tables = tables;
        this.firstKey = firstKey;
        this.random = new Random(seed);
        this.pauseMillis = pauseMillis;
        for (String table : tables) {
            live.put(table, new HashMap<>());
            nextKey.put(table, firstKey);
        }
    }

    static Connection connect(String url, String user) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("ApplicationName", APPLICATION_NAME);
        return DriverManager.getConnection(url, props);
    }

    void start() {
        thread = new Thread(this, "crash-writer-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Blocks until the writer is between transactions and keeps it there until {@link #resume()}. */
    void pause() {
        gate.acquireUninterruptibly();
    }

    void resume() {
        gate.release();
    }

    void stop() throws InterruptedException {
        stopped = true;
        if (thread != null) {
            thread.join(30_000);
        }
        closeConnection();
    }

    long inserts() {
        return inserts.get();
    }

    long updates() {
        return updates.get();
    }

    long deletes() {
        return deletes.get();
    }

    long changes() {
        return inserts() + updates() + deletes();
    }

    long failedTransactions() {
        return failedTransactions.get();
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                gate.acquireUninterruptibly();
                try {
                    if (!stopped) {
                        oneTransaction();
                    }
                } finally {
                    gate.release();
                }
                Thread.sleep(pauseMillis);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void oneTransaction() throws SQLException {
        if (connection == null) {
            connection = connect(url, user);
            connection.setAutoCommit(false);
            reloadLiveKeys();
        }
        int changes = random.nextInt(10) == 0 ? 2 + random.nextInt(3) : 1;
        long[] counted = new long[3];
        try {
            for (int i = 0; i < changes; i++) {
                counted[oneChange(tables.get(random.nextInt(tables.size())))]++;
            }
            connection.commit();
            inserts.addAndGet(counted[0]);
            updates.addAndGet(counted[1]);
            deletes.addAndGet(counted[2]);
        } catch (SQLException e) {
            // a lost connection: whatever did not commit is gone, so start again from the database
            failedTransactions.incrementAndGet();
            closeConnection();
        }
    }

    /** @return 0 insert, 1 update, 2 delete */
    private int oneChange(String table) throws SQLException {
        Map<Long, Integer> rows = live.get(table);
        int dice = random.nextInt(100);
        if (rows.size() < 20 || dice < 35) {
            long key = nextKey.merge(table, 1L, Long::sum) - 1;
            try (PreparedStatement s = connection.prepareStatement("insert into " + table
                    + " (id, version, payload, amount, changed_at) values (?, 1, ?, ?, clock_timestamp())")) {
                s.setLong(1, key);
                s.setString(2, payload());
                s.setBigDecimal(3, amount());
                s.executeUpdate();
            }
            rows.put(key, 1);
            return 0;
        }
        long key = randomKey(rows);
        if (dice < 88) {
            try (PreparedStatement s = connection.prepareStatement("update " + table
                    + " set version = version + 1, payload = ?, amount = ?, changed_at = clock_timestamp() where id = ?")) {
                s.setString(1, payload());
                s.setBigDecimal(2, amount());
                s.setLong(3, key);
                s.executeUpdate();
            }
            rows.merge(key, 1, Integer::sum);
            return 1;
        }
        try (PreparedStatement s = connection.prepareStatement("delete from " + table + " where id = ?")) {
            s.setLong(1, key);
            s.executeUpdate();
        }
        rows.remove(key);
        return 2;
    }

    private long randomKey(Map<Long, Integer> rows) {
        // the map's key set in a list is rebuilt per pick; a few hundred live rows make that cheap
        List<Long> keys = new ArrayList<>(rows.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private String payload() {
        // text with characters outside Latin-1 and outside the BMP: they must arrive exactly
        return "p" + random.nextInt(1_000_000) + " ü€😀 " + Long.toString(random.nextLong(), 36);
    }

    private BigDecimal amount() {
        return BigDecimal.valueOf(random.nextLong(-10_000_000_000L, 10_000_000_000L), 4);
    }

    private void reloadLiveKeys() throws SQLException {
        for (String table : tables) {
            Map<Long, Integer> rows = live.get(table);
            rows.clear();
            long maxKey = firstKey - 1;
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("select id, version from " + table + " where id >= " + firstKey
                         + " and id < " + (firstKey + CrashSafetyIT.KEY_RANGE))) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), rs.getInt(2));
                    maxKey = Math.max(maxKey, rs.getLong(1));
                }
            }
            // never reuse a key, not even one whose row was deleted: keep counting up
            long max = maxKey;
            nextKey.merge(table, max + 1, Math::max);
            connection.commit();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is already broken
            }
            connection = null;
        }
    }
}
