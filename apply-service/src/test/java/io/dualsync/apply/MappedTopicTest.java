package io.dualsync.apply;

import io.dualsync.config.Direction;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.Side;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappedTopicTest {

    @Test
    void shouldConsumeTheTopicOfEveryMapFlowingIntoTheEndpoint() {
        var config = TestConfigs.config(EndpointKind.POSTGRES, TestConfigs.customers(Direction.BIDIRECTIONAL));

        assertThat(MappedTopic.forTarget(config, TestConfigs.CATALOG, "erp"))
                .singleElement().satisfies(t -> {
                    assertThat(t.topic()).isEqualTo("dualsync.mapped.customers.erp");
                    assertThat(t.from()).isEqualTo(Side.A);
                    assertThat(t.columns().target()).isEqualTo(TestConfigs.CUSTOMER);
                });
        assertThat(MappedTopic.forTarget(config, TestConfigs.CATALOG, "crm"))
                .singleElement().satisfies(t -> assertThat(t.topic()).isEqualTo("dualsync.mapped.customers.crm"));
    }

    @Test
    void shouldConsumeNothingForAnEndpointAOneWayMapOnlyReadsFrom() {
        var config = TestConfigs.config(EndpointKind.POSTGRES, TestConfigs.customers(Direction.A_TO_B));

        assertThat(MappedTopic.forTarget(config, TestConfigs.CATALOG, "crm")).isEmpty();
        assertThat(MappedTopic.forTarget(config, TestConfigs.CATALOG, "erp")).hasSize(1);
    }

    @Test
    void shouldRefuseAnUnknownEndpoint() {
        var config = TestConfigs.config(EndpointKind.POSTGRES, TestConfigs.customers(Direction.A_TO_B));

        assertThatThrownBy(() -> MappedTopic.forTarget(config, TestConfigs.CATALOG, "wms"))
                .hasMessage("no endpoint named 'wms'");
    }
}
