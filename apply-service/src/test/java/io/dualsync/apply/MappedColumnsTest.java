package io.dualsync.apply;

import io.dualsync.contract.MappedColumns;
import io.dualsync.config.Direction;
import io.dualsync.config.FieldMap;
import io.dualsync.config.FieldTransform;
import io.dualsync.config.Side;
import io.dualsync.config.TableMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappedColumnsTest {

    @Test
    void shouldWriteTheKeyAndTheTargetSideOfEveryFieldInTargetTableOrder() {
        MappedColumns toErp = MappedColumns.of(TestConfigs.customers(Direction.BIDIRECTIONAL), Side.A, TestConfigs.CATALOG);

        assertThat(toErp.target()).isEqualTo(TestConfigs.CUSTOMER);
        assertThat(toErp.keyColumns()).containsExactly("no");
        // 'blocked' is not mapped; 'country' is a constant toward B
        assertThat(toErp.columns()).containsExactly("no", "credit_limit", "country", "name");
    }

    @Test
    void shouldLeaveOutFieldsThatHaveNoColumnOnTheTargetSide() {
        MappedColumns toCrm = MappedColumns.of(TestConfigs.customers(Direction.BIDIRECTIONAL), Side.B, TestConfigs.CATALOG);

        assertThat(toCrm.keyColumns()).containsExactly("account_number");
        assertThat(toCrm.columns()).containsExactly("account_number", "name", "credit_limit");
    }

    @Test
    void shouldBuildTheCodecOfTheMappedTopicFromTheseColumns() {
        MappedColumns toErp = MappedColumns.of(TestConfigs.customers(Direction.A_TO_B), Side.A, TestConfigs.CATALOG);

        assertThat(toErp.codec().keySchema().getFields()).extracting(f -> f.name()).containsExactly("no");
    }

    @Test
    void shouldNameAColumnTheTargetTableLacks() {
        TableMap map = TestConfigs.customers(Direction.A_TO_B);
        TableMap broken = new TableMap(map.name(), map.a(), map.b(), map.direction(), map.key(),
                List.of(new FieldMap(Optional.of("name"), Optional.of("full_name"), Map.of(),
                        FieldTransform.NONE, FieldTransform.NONE)),
                map.filterA(), map.filterB(), map.companies(), map.conflicts(), map.deletes());

        assertThatThrownBy(() -> MappedColumns.of(broken, Side.A, TestConfigs.CATALOG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("map 'customers': table erp.public.customer has no column(s) [full_name]");
    }
}
