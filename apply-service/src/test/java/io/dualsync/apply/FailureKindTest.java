package io.dualsync.apply;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import static io.dualsync.apply.FailureClassifier.Kind.DEPENDENT;
import static io.dualsync.apply.FailureClassifier.Kind.PERMANENT;
import static io.dualsync.apply.FailureClassifier.Kind.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;

/** The three kinds of failure apply tells apart, as PostgreSQL and MariaDB report them. */
class FailureKindTest {

    @Test
    void shouldRetryAPostgresForeignKeyViolationLaterAsDependent() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("insert or update on table \"contact\" violates foreign key constraint", "23503"));

        assertThat(FailureClassifier.classify(batch)).isEqualTo(DEPENDENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {1452, 1216, 1451, 1217})
    void shouldTellAMariaDbMissingParentFromADuplicateKeyByItsVendorCode(int code) {
        assertThat(FailureClassifier.classify(new SQLIntegrityConstraintViolationException("fk", "23000", code))).isEqualTo(DEPENDENT);
        assertThat(FailureClassifier.classify(new SQLIntegrityConstraintViolationException("dup", "23000", 1062))).isEqualTo(PERMANENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {1205, 1213})
    void shouldRetryAMariaDbLockWaitTimeoutAndDeadlockAsTransient(int code) {
        assertThat(FailureClassifier.classify(new SQLException("Lock wait timeout exceeded", "HY000", code))).isEqualTo(TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "40P01", "55P03", "57P01"})
    void shouldClassifyConnectionLossDeadlockAndLockTimeoutAsTransient(String sqlState) {
        assertThat(FailureClassifier.classify(new SQLException("x", sqlState))).isEqualTo(TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23514", "22001", "22003", "23502"})
    void shouldClassifyConstraintAndRangeViolationsAsPermanent(String sqlState) {
        assertThat(FailureClassifier.classify(new SQLException("x", sqlState))).isEqualTo(PERMANENT);
    }

    @Test
    void shouldClassifyABadMappingAsPermanent() {
        assertThat(FailureClassifier.classify(new IllegalArgumentException("column x takes a Integer"))).isEqualTo(PERMANENT);
    }
}
