package io.dualsync.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CapturePreconditionException;
import io.dualsync.capture.CaptureSetup;
import io.dualsync.capture.ConnectConnectorConfig;
import io.dualsync.config.ConfigException;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.connect.ConnectRestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;

/**
 * {@code dualsync connect-config}: Kafka Connect mode. Prints the Debezium source connector
 * configuration of every source endpoint as a JSON array of {@code {"name", "config"}} objects
 * (what {@code POST /connectors} takes), or with {@code --post URL} prepares each endpoint as the
 * capture service would ({@link CaptureSetup}) and creates or updates its connector on the cluster.
 * Passwords appear only as config provider references. Exit code 0, or 1 when the config is
 * invalid, a database is not ready or the cluster refused a connector.
 */
@Command(name = "connect-config", mixinStandardHelpOptions = true,
        description = "Prints the Debezium connector configurations for a Kafka Connect cluster (capture on Connect instead "
                + "of the embedded engine), or creates/updates them with --post.")
public final class ConnectConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--post", paramLabel = "URL",
            description = "A Connect worker's REST URL, e.g. http://connect:8083: prepares the databases and topics, then "
                    + "PUTs each configuration to URL/connectors/<name>/config (creates or updates).")
    URI post;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SyncConfig syncConfig;
        try {
            syncConfig = ConfigLoader.load(config.file);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 1;
        }
        CaptureOptions options = CaptureOptions.defaults();
        try {
            if (post == null) {
                print(syncConfig, options, out);
                return 0;
            }
            return post(syncConfig, options, out, err);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    private static void print(SyncConfig syncConfig, CaptureOptions options, PrintWriter out) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode connectors = json.createArrayNode();
        for (String name : Pipeline.sourceEndpoints(syncConfig)) {
            Endpoint endpoint = syncConfig.endpoint(name);
            var connector = connectors.addObject();
            connector.put("name", ConnectConnectorConfig.name(endpoint));
            connector.set("config", json.valueToTree(ConnectConnectorConfig.of(syncConfig, endpoint, options, true)));
        }
        out.println(json.writeValueAsString(connectors));
        out.flush();
    }

    private int post(SyncConfig syncConfig, CaptureOptions options, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        ConnectRestClient client = new ConnectRestClient(post);
        int failures = 0;
        for (String name : Pipeline.sourceEndpoints(syncConfig)) {
            Endpoint endpoint = syncConfig.endpoint(name);
            String connector = ConnectConnectorConfig.name(endpoint);
            boolean signaling;
            try {
                signaling = CaptureSetup.prepare(syncConfig, endpoint);
            } catch (CapturePreconditionException e) {
                err.println("connector " + connector + ": not posted: " + e.getMessage());
                failures++;
                continue;
            }
            ConnectRestClient.Result result = client.put(connector, ConnectConnectorConfig.of(syncConfig, endpoint, options, signaling));
            (result.ok() ? out : err).println("connector " + connector + " on " + post + ": " + result.describe());
            if (!result.ok()) {
                failures++;
            }
        }
        out.flush();
        err.flush();
        return failures == 0 ? 0 : 1;
    }
}
