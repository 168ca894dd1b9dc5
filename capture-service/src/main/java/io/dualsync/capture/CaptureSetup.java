package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What must be in place before a Debezium connector captures an endpoint, in either mode (the
 * embedded engine of {@link CaptureService}, or a connector on Kafka Connect that
 * {@code dualsync connect-config --post} creates): the endpoint's bookkeeping tables (the apply
 * checkpoint when some map writes there, the signaling table when the capture user may create it),
 * the database's readiness for capture ({@link SourceConnector#verify}), and the raw, offsets and
 * connector-specific topics.
 */
public final class CaptureSetup {

    private CaptureSetup() {
    }

    /**
     * Prepares the endpoint's database and topics.
     *
     * @return whether the endpoint has its signaling table (resync by incremental snapshot)
     * @throws CapturePreconditionException when the database is not ready for capture
     */
    public static boolean prepare(SyncConfig config, Endpoint endpoint) {
        List<TableRef> tables = CapturedTables.of(config, endpoint.name());
        Optional<TableRef> checkpoint = CapturedTables.checkpoint(config, endpoint.name());
        checkpoint.ifPresent(t -> BookkeepingSetup.ensureCreated(endpoint));
        boolean signaling = BookkeepingSetup.ensureSignalTable(endpoint);
        List<TableRef> verified = new ArrayList<>(tables);
        checkpoint.ifPresent(verified::add);
        if (signaling) {
            verified.add(BookkeepingTables.signal(endpoint));
        }
        SourceConnector source = SourceConnector.of(endpoint);
        source.verify(endpoint, verified);
        KafkaClients.ensureTopics(config.kafka(), tables.stream().map(Topics::raw).toList());
        OffsetsTopic.ensure(config.kafka(), Topics.captureOffsets(endpoint.name()));
        source.ensureTopics(config.kafka(), endpoint);
        return signaling;
    }
}
