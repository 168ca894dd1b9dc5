package io.debezium.embedded;

import io.debezium.engine.ChangeEvent;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.List;

/** Builds the engine's change events around a structured record, as the embedded engine does (its constructor is package-private). */
public final class TestChangeEvents {

    private TestChangeEvents() {
    }

    public static ChangeEvent<byte[], byte[]> of(SourceRecord record) {
        return new EmbeddedEngineChangeEvent<>(new byte[] {1}, new byte[] {2}, List.of(), record);
    }
}
