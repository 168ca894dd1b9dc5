package io.dualsync.capture;

import io.debezium.engine.ChangeEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CommitGateTest {

    private final CommitGate gate = new CommitGate();

    @Test
    void shouldPassEveryEventAtOnceOutsideDualsyncTransactions() {
        ChangeEvent<byte[], byte[]> a = event("a");
        ChangeEvent<byte[], byte[]> b = event("b");

        assertThat(gate.pass(a, null)).containsExactly(a);
        assertThat(gate.pass(b, null)).containsExactly(b);
        assertThat(gate.held()).isZero();
    }

    @Test
    void shouldHoldADualsyncTransactionUntilAnEventOfAnotherTransactionArrives() {
        ChangeEvent<byte[], byte[]> checkpoint = event("checkpoint");
        ChangeEvent<byte[], byte[]> row1 = event("row1");
        ChangeEvent<byte[], byte[]> row2 = event("row2");
        ChangeEvent<byte[], byte[]> next = event("next");

        assertThat(gate.pass(checkpoint, "7")).isEmpty();
        assertThat(gate.pass(row1, "7")).isEmpty();
        assertThat(gate.pass(row2, "7")).isEmpty();
        assertThat(gate.held()).isEqualTo(3);

        assertThat(gate.pass(next, null)).containsExactly(checkpoint, row1, row2, next);
        assertThat(gate.held()).isZero();
    }

    @Test
    void shouldReleaseOneDualsyncTransactionAndHoldTheNextWhenTheyFollowEachOther() {
        ChangeEvent<byte[], byte[]> first = event("checkpoint-7");
        ChangeEvent<byte[], byte[]> second = event("checkpoint-9");

        gate.pass(first, "7");

        assertThat(gate.pass(second, "9")).containsExactly(first);
        assertThat(gate.held()).isEqualTo(1);
    }

    private static ChangeEvent<byte[], byte[]> event(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return new ChangeEvent<>() {
            @Override
            public byte[] key() {
                return bytes;
            }

            @Override
            public byte[] value() {
                return bytes;
            }

            @Override
            public String destination() {
                return "t";
            }

            @Override
            public Integer partition() {
                return null;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
