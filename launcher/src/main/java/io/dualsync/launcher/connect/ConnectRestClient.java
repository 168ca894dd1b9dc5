package io.dualsync.launcher.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Creates or updates connectors through a Kafka Connect cluster's REST API with
 * {@code PUT /connectors/<name>/config}, which is idempotent: it creates the connector (201) or
 * replaces its configuration (200), and Connect restarts its task with the new one.
 */
public final class ConnectRestClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** @param base the REST URL of any worker of the cluster, e.g. {@code http://connect:8083} */
    public ConnectRestClient(URI base) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
    }

    /** The outcome of one PUT: {@code created} (201), {@code updated} (200), or the worker's error. */
    public record Result(String connector, int status, String message) {

        public boolean ok() {
            return status == 200 || status == 201;
        }

        /** {@code created}, {@code updated} or {@code failed (HTTP 400): <Connect's message>}. */
        public String describe() {
            return status == 201 ? "created" : status == 200 ? "updated" : "failed (HTTP " + status + "): " + message;
        }
    }

    /** Creates or updates {@code connector} with {@code config}. */
    public Result put(String connector, Map<String, String> config) throws IOException, InterruptedException {
        URI uri = base.resolve("connectors/" + URLEncoder.encode(connector, StandardCharsets.UTF_8).replace("+", "%20") + "/config");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Result(connector, response.statusCode(), errorMessage(response.body()));
    }

    /** Connect's error body is {@code {"error_code":400,"message":"..."}}; the message names keys, and our configs hold no secrets. */
    private static String errorMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.hasNonNull("message") ? node.get("message").asText() : body;
        } catch (IOException notJson) {
            return body;
        }
    }
}
