package io.dualsync.launcher.observe;

import io.dualsync.catalog.JdbcCatalogReader;
import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.contract.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether a service process is ready (issue 5): its services have started and none has failed,
 * the Kafka broker answers (describe cluster), the schema registry answers over HTTP, and every
 * database the process uses answers {@code SELECT 1} on a new connection. Each check has a
 * {@link #CHECK_TIMEOUT}; the result is cached for {@link #CACHE_FOR} so that frequent probes do
 * not hammer the broker and the databases. Messages name what failed, never credentials.
 */
public final class Readiness implements AutoCloseable {

    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration CACHE_FOR = Duration.ofSeconds(3);

    /** One check's outcome: {@code UP}, or {@code DOWN} with the reason. */
    public record Check(String name, boolean up, String detail) {
    }

    /** All checks at one moment; ready when every one is up. */
    public record Report(boolean ready, List<Check> checks) {
    }

    private final SyncConfig config;
    private final Collection<Endpoint> databases;
    private final Supplier<Optional<String>> serviceFailure;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();
    private final ExecutorService checks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dualsync-readiness");
        t.setDaemon(true);
        return t;
    });
    private final Admin admin;
    private volatile boolean started;
    private Report cached;
    private Instant cachedAt = Instant.MIN;

    /**
     * @param databases      the endpoints this process reads or writes
     * @param serviceFailure the first failure of a hosted service, described; empty while all run
     */
    public Readiness(SyncConfig config, Collection<Endpoint> databases, Supplier<Optional<String>> serviceFailure) {
        this.config = config;
        this.databases = List.copyOf(databases);
        this.serviceFailure = serviceFailure;
        this.clock = Clock.systemUTC();
        Map<String, Object> props = KafkaClients.common(config.kafka());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "dualsync-readiness-" + ProcessHandle.current().pid());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis());
        this.admin = Admin.create(props);
    }

    /** Called once every service of the process has started; until then the process is not ready. */
    public void markStarted() {
        started = true;
        invalidate();
    }

    /** The current report, at most {@link #CACHE_FOR} old. */
    public synchronized Report report() {
        Instant now = clock.instant();
        if (cached == null || now.isAfter(cachedAt.plus(CACHE_FOR))) {
            cached = check();
            cachedAt = clock.instant();
        }
        return cached;
    }

    private synchronized void invalidate() {
        cached = null;
    }

    private Report check() {
        Map<String, CompletableFuture<Check>> running = new LinkedHashMap<>();
        running.put("broker", async("broker", this::broker));
        running.put("registry", async("registry", this::registry));
        for (Endpoint e : databases) {
            String name = "database[" + e.name() + "]";
            running.put(name, async(name, () -> database(e)));
        }
        List<Check> results = new ArrayList<>();
        Optional<String> failure = serviceFailure.get();
        results.add(!started ? new Check("services", false, "starting")
                : failure.map(f -> new Check("services", false, f)).orElse(new Check("services", true, "running")));
        running.forEach((name, future) -> {
            try {
                results.add(future.get(CHECK_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                future.cancel(true);
                results.add(new Check(name, false, "no answer within " + CHECK_TIMEOUT.toSeconds() + " s"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(new Check(name, false, "interrupted"));
            } catch (java.util.concurrent.ExecutionException e) {
                results.add(new Check(name, false, e.getCause().getClass().getSimpleName()));
            }
        });
        return new Report(results.stream().allMatch(Check::up), results);
    }

    /** A check body returns its "up" detail or throws with the reason it is down. */
    private interface Body {
        String run() throws Exception;
    }

    private CompletableFuture<Check> async(String name, Body body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new Check(name, true, body.run());
            } catch (Exception e) {
                return new Check(name, false, reason(e));
            }
        }, checks);
    }

    private String broker() throws Exception {
        int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
                .nodes().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
        return nodes + " broker(s)";
    }

    private String registry() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.registry().v2Api() + "/system/info"))
                .timeout(CHECK_TIMEOUT).GET().build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
            throw new IllegalStateException("HTTP " + status);
        }
        return "HTTP 200";
    }

    private static String database(Endpoint endpoint) throws Exception {
        try (Connection c = JdbcCatalogReader.connect(endpoint);
             Statement s = c.createStatement()) {
            s.setQueryTimeout((int) CHECK_TIMEOUT.toSeconds());
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                return "SELECT 1 answered";
            }
        }
    }

    /** The exception's class and, for SQL errors, the SQLState: driver messages may hold more than we want in a probe. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String sqlState = root instanceof java.sql.SQLException sql ? " SQLState " + sql.getSQLState() : "";
        return root.getClass().getSimpleName() + sqlState;
    }

    @Override
    public void close() {
        checks.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
