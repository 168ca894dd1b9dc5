package io.dualsync.apply;

import io.dualsync.config.Direction;
import io.dualsync.config.EndpointKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What can be checked without a broker; the poll loop runs against a real one in integration-tests. */
class ApplyServiceTest {

    @Test
    void shouldListTheMappedTopicsItWillConsume() {
        var config = TestConfigs.config(EndpointKind.POSTGRES, TestConfigs.customers(Direction.BIDIRECTIONAL));

        try (ApplyService service = new ApplyService(config, TestConfigs.CATALOG, "erp")) {
            assertThat(service.topics()).containsExactly("dualsync.mapped.customers.erp");
            assertThat(service.failure()).isEmpty();
        }
    }

    @Test
    void shouldApplyToAMariaDbTargetWithTheMariaDbDialect() {
        var config = TestConfigs.config(EndpointKind.MARIADB, TestConfigs.customers(Direction.BIDIRECTIONAL));

        try (ApplyService service = new ApplyService(config, TestConfigs.CATALOG, "erp")) {
            assertThat(service.topics()).containsExactly("dualsync.mapped.customers.erp");
        }
        assertThat(SqlDialects.of(EndpointKind.MARIADB)).isInstanceOf(MariaDbDialect.class);
    }
}
