package io.dualsync.launcher.verify;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a stream of keys into key conditions ({@link KeyCondition}) of at most {@code maxKeys}
 * keys and about {@code maxChars} characters each (a single longer key still gets its own), and
 * hands each condition to a sink as soon as it is full: only one batch is held in memory.
 */
final class KeyBatches {

    /** Receives each rendered condition. */
    @FunctionalInterface
    interface Sink {
        void accept(String condition) throws SQLException;
    }

    private final KeyCondition condition;
    private final int maxKeys;
    private final int maxChars;
    private final Sink sink;
    private final List<List<Object>> batch = new ArrayList<>();
    private int chars;

    KeyBatches(KeyCondition condition, int maxKeys, int maxChars, Sink sink) {
        if (maxKeys < 1 || maxChars < 1) {
            throw new IllegalArgumentException("a batch holds at least one key and one character");
        }
        this.condition = condition;
        this.maxKeys = maxKeys;
        this.maxChars = maxChars;
        this.sink = sink;
    }

    void add(List<Object> key) throws SQLException {
        int length = condition.length(key);
        if (!batch.isEmpty() && chars + length > maxChars) {
            flush();
        }
        batch.add(key);
        chars += length;
        if (batch.size() == maxKeys) {
            flush();
        }
    }

    /** Hands over the last, partial batch. */
    void finish() throws SQLException {
        if (!batch.isEmpty()) {
            flush();
        }
    }

    private void flush() throws SQLException {
        String rendered = condition.render(batch);
        batch.clear();
        chars = 0;
        sink.accept(rendered);
    }
}
