package io.dualsync.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.config.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The execute-snapshot signal of a resync and the --since condition it carries. */
class ResyncRequestTest {

    private static final Endpoint CRM = TestConfigs.postgres("crm", "jdbc:postgresql://h:5432/crm", "u", null);
    private static final Endpoint ERP = TestConfigs.mariadb("erp", "jdbc:mariadb://h:3306/erp", "u", null, 7);

    @Test
    void shouldAskForAnIncrementalSnapshotOfTheTableWithTheConditionAsAdditionalCondition() throws Exception {
        ResyncSignal signal = new ResyncSignal(TestConfigs.ref("crm.public.account"), Optional.of("\"updated_at\" >= x"));

        JsonNode data = new ObjectMapper().readTree(signal.data());

        assertThat(data.get("type").asText()).isEqualTo("incremental");
        assertThat(data.get("data-collections").get(0).asText()).isEqualTo("public.account");
        assertThat(data.get("additional-conditions").get(0).get("data-collection").asText()).isEqualTo("public.account");
        assertThat(data.get("additional-conditions").get(0).get("filter").asText()).isEqualTo("\"updated_at\" >= x");
    }

    @Test
    void shouldAskForEveryRowWithoutACondition() throws Exception {
        JsonNode data = new ObjectMapper().readTree(new ResyncSignal(TestConfigs.ref("erp.erp.customer"), Optional.empty()).data());

        assertThat(data.has("additional-conditions")).isFalse();
        assertThat(data.get("data-collections").get(0).asText()).isEqualTo("erp.customer");
    }

    @Test
    void shouldCompareATimestamptzColumnWithTheInstant() {
        String condition = ChangedSince.parse("2026-11-30T16:00:00+01:00").condition(CRM, column("updated_at", SqlType.Kind.TIMESTAMPTZ));

        assertThat(condition).isEqualTo("\"updated_at\" >= timestamptz '2026-11-30T15:00:00Z'");
    }

    @Test
    void shouldCompareAZonelessColumnWithTheWallClockTimeInTheEndpointsZone() {
        // ERP's timezone is Europe/Berlin: 15:00Z is 16:00 there
        String condition = ChangedSince.parse("2026-11-30T15:00:00Z").condition(ERP, column("modified", SqlType.Kind.TIMESTAMP));

        assertThat(condition).isEqualTo("`modified` >= '2026-11-30 16:00:00.000000'");
    }

    @Test
    void shouldCompareAMariaDbTimestampColumnWithTheInstantInTheSessionsZone() {
        String condition = ChangedSince.parse("2026-11-30T15:00:00.5Z").condition(ERP, column("ts", SqlType.Kind.TIMESTAMPTZ));

        assertThat(condition).isEqualTo("`ts` >= FROM_UNIXTIME(1796050800.500000)");
    }

    @Test
    void shouldCompareADateColumnWithTheDateSoTheWholeDayIsIncluded() {
        String condition = ChangedSince.parse("2026-11-30").condition(CRM, column("day", SqlType.Kind.DATE));

        assertThat(condition).isEqualTo("\"day\" >= date '2026-11-30'");
    }

    @Test
    void shouldRefuseATextThatIsNoTime() {
        assertThatThrownBy(() -> ChangedSince.parse("yesterday'; drop table x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO-8601");
    }

    @Test
    void shouldRefuseAColumnThatIsNoTime() {
        assertThatThrownBy(() -> ChangedSince.parse("2026-11-30").condition(CRM, column("name", SqlType.Kind.STRING)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a date or timestamp");
    }

    private static Column column(String name, SqlType.Kind kind) {
        return new Column(name, SqlType.of(kind, kind.name().toLowerCase()), true);
    }
}
