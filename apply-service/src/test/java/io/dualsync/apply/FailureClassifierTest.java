package io.dualsync.apply;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08001", "40001", "40P01", "57P01", "53300", "55P03"})
    void shouldRetryFailuresThatPassByThemselves(String sqlState) {
        assertThat(FailureClassifier.isTransient(new SQLException("x", sqlState))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23502", "23514", "22001", "22003", "42P01", "42703", "28P01"})
    void shouldNotRetryFailuresOnlyAPersonCanFix(String sqlState) {
        assertThat(FailureClassifier.isTransient(new SQLException("x", sqlState))).isFalse();
    }

    @Test
    void shouldFindTheRealErrorBehindABatchException() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("duplicate key", "23505"));

        assertThat(FailureClassifier.sqlState(batch)).isEqualTo("23505");
        assertThat(FailureClassifier.isTransient(batch)).isFalse();
    }

    @Test
    void shouldTreatAFailureWithoutSqlStateAsPermanent() {
        assertThat(FailureClassifier.isTransient(new IllegalArgumentException("column x takes a Integer"))).isFalse();
        assertThat(FailureClassifier.sqlState(new IllegalArgumentException())).isNull();
    }
}
