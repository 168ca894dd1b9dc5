package io.dualsync.config;

import io.dualsync.config.RowFilter.Condition;
import io.dualsync.config.RowFilter.Operator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the filter text of a map ({@code filter: { a: "..." }}) into a {@link RowFilter}.
 *
 * <p>Grammar: conditions joined by {@code and} (keywords in any case), each one of
 * {@code col = lit}, {@code col <> lit}, {@code col != lit}, {@code col in (lit, ...)},
 * {@code col not in (lit, ...)}, {@code col is null}, {@code col is not null}. A literal is
 * single-quoted text ({@code ''} for a quote), a number, {@code true} or {@code false}; it is kept
 * as text. A column is a bare name ({@code [A-Za-z_][A-Za-z0-9_$]*}) or double-quoted
 * ({@code ""} for a quote), and is taken exactly as written, like every column name in the
 * config; {@code ref.column} (no space around the dot) is a column of the parent row that the
 * map's reference field {@code ref} points to (issue 7, "Filters on a parent's fields"). Blank
 * text is {@link RowFilter#ALL}. Deliberately no {@code or}, no functions: a filter
 * decides scope, and scope should be readable at a glance.
 */
public final class RowFilterParser {

    /** The text is not a filter; {@link #position()} is the 0-based offset where reading stopped. */
    public static final class SyntaxError extends IllegalArgumentException {
        private final int position;

        SyntaxError(String message, int position) {
            super(message);
            this.position = position;
        }

        public int position() {
            return position;
        }
    }

    private final String text;
    private int pos;

    private RowFilterParser(String text) {
        this.text = text;
    }

    public static RowFilter parse(String text) {
        if (text == null || text.isBlank()) {
            return RowFilter.ALL;
        }
        RowFilterParser p = new RowFilterParser(text);
        List<Condition> conditions = new ArrayList<>();
        do {
            conditions.add(p.condition());
        } while (p.keyword("and"));
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("expected 'and' or the end of the filter");
        }
        return new RowFilter(text, conditions);
    }

    private Condition condition() {
        String column = column();
        if (pos < text.length() && text.charAt(pos) == '.') {
            // ref.column: a column of the parent the reference field ref points to
            pos++;
            return comparison(column()).viaReference(column);
        }
        return comparison(column);
    }

    private Condition comparison(String column) {
        if (keyword("is")) {
            boolean not = keyword("not");
            if (!keyword("null")) {
                throw error("expected 'null' after 'is" + (not ? " not" : "") + "'");
            }
            return new Condition(column, not ? Operator.IS_NOT_NULL : Operator.IS_NULL, List.of());
        }
        if (keyword("not")) {
            if (!keyword("in")) {
                throw error("expected 'in' after 'not'");
            }
            return new Condition(column, Operator.NOT_IN, literalList());
        }
        if (keyword("in")) {
            return new Condition(column, Operator.IN, literalList());
        }
        if (symbol("<>") || symbol("!=")) {
            return new Condition(column, Operator.NE, List.of(literal()));
        }
        if (symbol("=")) {
            return new Condition(column, Operator.EQ, List.of(literal()));
        }
        throw error("expected =, <>, !=, in, not in, is null or is not null after column '" + column + "'");
    }

    private String column() {
        skipSpace();
        if (symbol("\"")) {
            return quoted('"', "column name");
        }
        int start = pos;
        if (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_')) {
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' || text.charAt(pos) == '$')) {
                pos++;
            }
            return text.substring(start, pos);
        }
        throw error("expected a column name");
    }

    private List<String> literalList() {
        if (!symbol("(")) {
            throw error("expected '(' to start the list of values");
        }
        List<String> literals = new ArrayList<>();
        do {
            literals.add(literal());
        } while (symbol(","));
        if (!symbol(")")) {
            throw error("expected ',' or ')' in the list of values");
        }
        return literals;
    }

    private String literal() {
        skipSpace();
        if (symbol("'")) {
            return quoted('\'', "text");
        }
        int start = pos;
        if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
            pos++;
        }
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        String number = text.substring(start, pos);
        if (number.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            return number;
        }
        pos = start;
        if (keyword("true")) {
            return "true";
        }
        if (keyword("false")) {
            return "false";
        }
        throw error("expected a value: 'quoted text', a number, true or false");
    }

    /** Reads up to the closing quote (already past the opening one); a doubled quote stands for one. */
    private String quoted(char quote, String what) {
        int start = pos - 1;
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                if (pos < text.length() && text.charAt(pos) == quote) {
                    value.append(quote);
                    pos++;
                } else {
                    return value.toString();
                }
            } else {
                value.append(c);
            }
        }
        throw new SyntaxError("the quoted " + what + " is not closed", start);
    }

    /** Consumes a case-insensitive keyword that is not the start of a longer word. */
    private boolean keyword(String word) {
        skipSpace();
        int end = pos + word.length();
        if (end <= text.length() && text.substring(pos, end).toLowerCase(Locale.ROOT).equals(word)
                && (end == text.length() || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_'))) {
            pos = end;
            return true;
        }
        return false;
    }

    private boolean symbol(String s) {
        skipSpace();
        if (text.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private SyntaxError error(String message) {
        skipSpace();
        return new SyntaxError(message, pos);
    }
}
