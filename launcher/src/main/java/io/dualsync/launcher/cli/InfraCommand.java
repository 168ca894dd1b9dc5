package io.dualsync.launcher.cli;

import io.dualsync.launcher.infra.EmbeddedKafka;
import io.dualsync.launcher.infra.EmbeddedRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dualsync infra}: starts just a Kafka broker and an Apicurio registry and prints their
 * addresses, for trying dualsync against one's own databases. Runs until Ctrl-C.
 */
@Command(name = "infra", mixinStandardHelpOptions = true,
        description = "Starts an embedded Kafka broker and Apicurio registry, prints their addresses, runs until Ctrl-C.")
public final class InfraCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedRegistry registry = EmbeddedRegistry.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            var out = spec.commandLine().getOut();
            out.println("kafka:    { bootstrap: " + kafka.bootstrapServers() + " }");
            out.println("registry: { url: " + registry.url() + " }");
            out.println("Put these two lines in your dualsync config. Ctrl-C stops both.");
            out.flush();
            stop.await();
        }
        return 0;
    }
}
