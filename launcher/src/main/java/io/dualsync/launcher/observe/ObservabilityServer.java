package io.dualsync.launcher.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoint of one service process (issue 5), on the JDK's built-in server:
 * <ul>
 *   <li>{@code GET /metrics}: every meter in the Prometheus text format (0.0.4);</li>
 *   <li>{@code GET /health/live}: 200 while the process runs (a liveness probe restarts it otherwise);</li>
 *   <li>{@code GET /health/ready}: 200 when {@link Readiness} finds the services running and the
 *       broker, registry and databases answering, 503 otherwise; the body names each check.</li>
 * </ul>
 */
public final class ObservabilityServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    private ObservabilityServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code port} (0: any free port) on every interface.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static ObservabilityServer start(int port, PrometheusMeterRegistry meters, Readiness readiness) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve /metrics and /health on port " + port + ": " + e.getMessage()
                    + " (set observability.port in the config, or --metrics-port)", e);
        }
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", meters.scrape()));
        server.createContext("/health/live", exchange -> respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
        server.createContext("/health/ready", exchange -> {
            Readiness.Report report = readiness.report();
            respond(exchange, report.ready() ? 200 : 503, "application/json", json(report));
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dualsync-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        LOG.info("serving /metrics, /health/live and /health/ready on port {}", server.getAddress().getPort());
        return new ObservabilityServer(server);
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static String json(Readiness.Report report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", report.ready() ? "UP" : "DOWN");
        ObjectNode checks = root.putObject("checks");
        for (Readiness.Check c : report.checks()) {
            ObjectNode check = checks.putObject(c.name());
            check.put("status", c.up() ? "UP" : "DOWN");
            check.put("detail", c.detail());
        }
        return root.toString();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
