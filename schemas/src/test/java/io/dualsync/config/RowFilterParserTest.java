package io.dualsync.config;

import io.dualsync.config.RowFilter.Condition;
import io.dualsync.config.RowFilter.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RowFilterParserTest {

    @Test
    void shouldParseEveryKindOfConditionJoinedByAnd() {
        RowFilter filter = RowFilterParser.parse(
                "status = 'active' AND kind <> 'x' and kind != 'y' And country in ('DE','FR') and "
                        + "code not in (1, -2.5) and deleted_at is null and \"Owner Name\" IS NOT NULL and vip = true");

        assertThat(filter.conditions()).containsExactly(
                new Condition("status", Operator.EQ, List.of("active")),
                new Condition("kind", Operator.NE, List.of("x")),
                new Condition("kind", Operator.NE, List.of("y")),
                new Condition("country", Operator.IN, List.of("DE", "FR")),
                new Condition("code", Operator.NOT_IN, List.of("1", "-2.5")),
                new Condition("deleted_at", Operator.IS_NULL, List.of()),
                new Condition("Owner Name", Operator.IS_NOT_NULL, List.of()),
                new Condition("vip", Operator.EQ, List.of("true")));
        assertThat(filter.expression()).startsWith("status = 'active'");
    }

    @Test
    void shouldReadDoubledQuotesAsOneQuoteInTextAndColumnNames() {
        RowFilter filter = RowFilterParser.parse("\"say \"\"hi\"\"\" = 'O''Brien' and note = ''");

        assertThat(filter.conditions()).containsExactly(
                new Condition("say \"hi\"", Operator.EQ, List.of("O'Brien")),
                new Condition("note", Operator.EQ, List.of("")));
    }

    @Test
    void shouldReadAConditionOnAParentsColumnAndEvaluateItOnTheParentRow() {
        RowFilter filter = RowFilterParser.parse("parentcustomerid.relationship in ('customer', 'partner') and active = true");

        assertThat(filter.conditions().get(0)).isEqualTo(new RowFilter.Condition("parentcustomerid", "relationship",
                RowFilter.Operator.IN, List.of("customer", "partner")));
        assertThat(filter.conditions().get(0).written()).isEqualTo("parentcustomerid.relationship");
        assertThat(filter.referenceFields()).containsExactly("parentcustomerid");
        assertThat(filter.parentColumns("parentcustomerid")).containsExactly("relationship");
        Map<String, Object> child = Map.of("parentcustomerid", "a1", "active", true);
        RowFilter.ParentRows partner = (field, value) -> value.equals("a1") ? Map.of("relationship", "partner") : null;
        RowFilter.ParentRows vendor = (field, value) -> Map.of("relationship", "vendor");
        assertThat(filter.matches(child, partner)).isTrue();
        assertThat(filter.matches(child, vendor)).isFalse();
        assertThat(filter.matches(child)).as("no parent known").isFalse();
        assertThat(filter.matches(Map.of("active", true), partner)).as("a null reference has no parent").isFalse();
        assertThat(filter.onParentOf("parentcustomerid").conditions()).hasSize(1);
    }

    @Test
    void shouldLetEveryRowThroughForBlankText() {
        assertThat(RowFilterParser.parse("  ")).isEqualTo(RowFilter.ALL);
        assertThat(RowFilterParser.parse(null)).isEqualTo(RowFilter.ALL);
    }

    @Test
    void shouldMatchRowsTheWayTheParsedFilterSays() {
        RowFilter filter = RowFilterParser.parse("relationship_type = 'customer' and credit in (0, 1.5) and blocked is null");
        Map<String, Object> row = new HashMap<>(Map.of("relationship_type", "customer", "credit", new java.math.BigDecimal("1.50")));
        row.put("blocked", null);

        assertThat(filter.matches(row)).isTrue();
        row.put("blocked", "all");
        assertThat(filter.matches(row)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status                      | 6  | expected =, <>, !=, in, not in, is null or is not null after column 'status'",
            "status =                    | 8  | expected a value: 'quoted text', a number, true or false",
            "status = active             | 9  | expected a value: 'quoted text', a number, true or false",
            "status = 'a' or x = 1       | 13 | expected 'and' or the end of the filter",
            "status = 'open              | 9  | the quoted text is not closed",
            "x in 'a'                    | 5  | expected '(' to start the list of values",
            "x in ('a' 'b')              | 10 | expected ',' or ')' in the list of values",
            "x not 'a'                   | 6  | expected 'in' after 'not'",
            "x is not 'a'                | 9  | expected 'null' after 'is not'",
            "= 'a'                       | 0  | expected a column name",
            "x = 'a' and                 | 11 | expected a column name",
            "x = 1.2.3                   | 4  | expected a value: 'quoted text', a number, true or false",
    })
    void shouldReportWhereAndWhyAFilterCannotBeRead(String text, int position, String message) {
        RowFilterParser.SyntaxError e = catchThrowableOfType(RowFilterParser.SyntaxError.class, () -> RowFilterParser.parse(text));

        assertThat(e).hasMessage(message);
        assertThat(e.position()).isEqualTo(position);
    }
}
