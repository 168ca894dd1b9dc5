package io.dualsync.transform;

import io.dualsync.config.Direction;
import io.dualsync.config.RowFilter;
import io.dualsync.config.Side;
import io.dualsync.contract.MappedColumns;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectedRowsTest {

    @Test
    void shouldMapASourceRowToTheTargetRowTheTopologyWritesInTheMappedColumnsOrder() {
        Fixture f = Fixture.customers();
        ExpectedRows expected = ExpectedRows.of(f.config(), f.catalog(), f.config().maps().getFirst(), Side.A);

        ExpectedRows.Image image = expected.map(account("1001", "active"));

        assertThat(image.key()).containsExactly(Map.entry("no", "C-1001"));
        assertThat(List.copyOf(image.columns().keySet()))
                .isEqualTo(MappedColumns.of(f.config().maps().getFirst(), Side.A, f.catalog()).columns());
        assertThat(image.columns()).containsEntry("blocked", "").containsEntry("country", "US")
                .containsEntry("segment", "retail").containsEntry("credit_limit", new BigDecimal("12.3400000000"))
                // zone-less CRM time meant in Europe/Berlin, summer time: two hours ahead of UTC
                .containsEntry("created", Instant.parse("2024-07-01T10:00:00Z"));
    }

    @Test
    void shouldMapBackFromSideBStrippingThePrefixAndInvertingTheValueMap() {
        Fixture f = Fixture.customers();
        ExpectedRows expected = ExpectedRows.of(f.config(), f.catalog(), f.config().maps().getFirst(), Side.B);
        Map<String, Object> customer = new HashMap<>();
        customer.put("no", "C-1001");
        customer.put("customer_name", "Contoso");
        customer.put("credit_limit", new BigDecimal("1.0000000000"));
        customer.put("blocked", "all");
        customer.put("company_code", "US");
        customer.put("segment", "retail");
        customer.put("created", Instant.parse("2024-07-01T10:00:00Z"));

        ExpectedRows.Image image = expected.map(customer);

        assertThat(image.key()).containsExactly(Map.entry("account_number", "1001"));
        assertThat(image.columns()).containsEntry("status", "inactive")
                .containsEntry("created_at", LocalDateTime.parse("2024-07-01T12:00:00"));
    }

    @Test
    void shouldDecideScopeByTheSourceSidesFilterAndCompanyAndReadTheirColumns() {
        Fixture f = Fixture.customers().withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL)
                .withCompanies("US");
        ExpectedRows expected = ExpectedRows.of(f.config(), f.catalog(), f.config().maps().getFirst(), Side.A);
        Map<String, Object> row = account("1001", "active");

        assertThat(expected.sourceColumns()).contains("relationship_type", "company_id", "account_number");
        assertThat(expected.inScope(row)).isTrue();
        row.put("relationship_type", "prospect");
        assertThat(expected.inScope(row)).isFalse();
        row.put("relationship_type", "customer");
        row.put("company_id", "DE");
        assertThat(expected.inScope(row)).isFalse();
    }

    @Test
    void shouldRefuseARowThePipelineCouldNotMapEither() {
        Fixture f = Fixture.customers();
        ExpectedRows expected = ExpectedRows.of(f.config(), f.catalog(), f.config().maps().getFirst(), Side.A);
        assertThatThrownBy(() -> expected.map(account("1001", "dormant"))).isInstanceOf(MappingException.class)
                .hasMessageNotContaining("dormant");
    }

    @Test
    void shouldRefuseADirectionTheMapDoesNotFlowIn() {
        Fixture f = Fixture.customers().withDirection(Direction.A_TO_B);
        assertThatThrownBy(() -> ExpectedRows.of(f.config(), f.catalog(), f.config().maps().getFirst(), Side.B))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, Object> account(String number, String status) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", 1L);
        row.put("account_number", number);
        row.put("name", "Contoso");
        row.put("credit_limit", new BigDecimal("12.34"));
        row.put("status", status);
        row.put("relationship_type", "customer");
        row.put("company_id", "US");
        row.put("segment", null);
        row.put("created_at", LocalDateTime.parse("2024-07-01T12:00:00"));
        return row;
    }
}
