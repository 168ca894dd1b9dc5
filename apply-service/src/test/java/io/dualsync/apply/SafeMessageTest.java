package io.dualsync.apply;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What reaches dead-letter headers and logs of a database error: the reason, never a row value. */
class SafeMessageTest {

    /** PostgreSQL's wire fields: S severity, C SQLSTATE, M message, D detail, s schema, t table, n constraint, c column. */
    private static PSQLException postgres(String fields) {
        return new PSQLException(new ServerErrorMessage(fields.replace('|', '\0') + '\0'));
    }

    @Test
    void shouldDropPostgresDetailThatQuotesTheFailingRow() {
        PSQLException e = postgres("SERROR|C23514|Mnew row for relation \"customer\" violates check constraint \"customer_credit_limit_check\""
                + "|DFailing row contains (3, Carol, -5.00).|spublic|tcustomer|ncustomer_credit_limit_check");

        assertThat(SafeMessage.of(e))
                .isEqualTo("new row for relation \"customer\" violates check constraint \"customer_credit_limit_check\" "
                        + "(table public.customer, constraint customer_credit_limit_check)")
                .doesNotContain("Carol");
    }

    @Test
    void shouldDropTheKeyOfADuplicateKeyError() {
        PSQLException e = postgres("SERROR|C23505|Mduplicate key value violates unique constraint \"customer_pkey\"|DKey (no)=(42) already exists.");

        assertThat(SafeMessage.of(e)).doesNotContain("42").contains("customer_pkey");
    }

    @Test
    void shouldRedactAValueAPostgresDataExceptionQuotesAtTheEnd() {
        PSQLException e = postgres("SERROR|C22P02|Minvalid input syntax for type integer: \"12abc\"");

        assertThat(SafeMessage.of(e)).isEqualTo("invalid input syntax for type integer: " + SafeMessage.REDACTED);
    }

    @Test
    void shouldKeepDualsyncsOwnValueFreeReasonAsItIs() {
        IllegalArgumentException own = new IllegalArgumentException(
                "column tstz: an instant outside MariaDB's TIMESTAMP range 1970-01-01 00:00:01 UTC to 2038-01-19 03:14:07 UTC");

        assertThat(SafeMessage.of(own)).isEqualTo(own.getMessage());
    }

    @Test
    void shouldRedactMariaDbLiteralsButKeepIdentifiers() {
        SQLException e = new SQLException("(conn=7) Duplicate entry 'C-42' for key 'PRIMARY'", "23000", 1062);

        assertThat(SafeMessage.of(e)).isEqualTo("(conn=7) Duplicate entry '…' for key 'PRIMARY'");
        assertThat(SafeMessage.of(new SQLException("Incorrect integer value: 'abc' for column `erp`.`t`.`n` at row 1", "22007")))
                .isEqualTo("Incorrect integer value: '…' for column `erp`.`t`.`n` at row 1");
        assertThat(SafeMessage.of(new SQLException("Data too long for column 'name' at row 1", "22001")))
                .isEqualTo("Data too long for column 'name' at row 1");
    }
}
