package io.dualsync.apply;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reason for a failure, in words that are safe to put in a dead-letter header and a log line:
 * no row values. Database drivers quote row values in their messages, so the message is rebuilt
 * rather than copied:
 * <ul>
 *   <li>PostgreSQL: the server's primary message plus the table, column and constraint it names,
 *       never its {@code DETAIL} ("Key (id)=(42) already exists", "Failing row contains (...)");
 *       a data exception (SQLSTATE class 22) that quotes the offending value at its end ({@code
 *       invalid input syntax for type integer: "abc"}) gets the value replaced by {@value #REDACTED}.</li>
 *   <li>dualsync's own refusals (a value that does not fit the column): as they are, since they
 *       name columns and types only;</li>
 *   <li>MariaDB and other drivers: single-quoted literals are replaced by {@value #REDACTED} unless
 *       a word naming an identifier precedes them ({@code column 'name'}, {@code key 'PRIMARY'}),
 *       so "Duplicate entry '42' for key 'PRIMARY'" becomes "Duplicate entry '…' for key 'PRIMARY'".</li>
 * </ul>
 * The record itself keeps the values: {@code dualsync dlt show} decodes them for an operator who asks.
 */
public final class SafeMessage {

    /** What stands where a value was. */
    public static final String REDACTED = "…";
    private static final int MAX_LENGTH = 500;
    /** Words after which MariaDB quotes an identifier, not a value. */
    private static final Set<String> IDENTIFIER_WORDS = Set.of("column", "key", "table", "database", "schema",
            "constraint", "field", "index", "function", "procedure", "user", "variable");
    private static final Pattern SINGLE_QUOTED = Pattern.compile("(\\w*)(\\s*)'((?:[^'\\\\]|\\\\.|'')*)'");
    private static final Pattern QUOTED_VALUE_AT_END = Pattern.compile(":\\s*(\".*\"|0x.*|'.*')\\s*$");

    private SafeMessage() {
    }

    /** The safe reason of a failure: of its most specific SQL exception when it has one. */
    public static String of(Throwable failure) {
        SQLException sql = FailureClassifier.mostSpecific(failure);
        if (sql == null) {
            // dualsync's own refusals (binders, codecs) name columns and types, never values, by rule
            String own = failure.getMessage();
            return cap(own == null ? failure.getClass().getSimpleName() : own);
        }
        if (sql instanceof PSQLException p && p.getServerErrorMessage() != null) {
            return cap(postgres(p.getServerErrorMessage(), p.getSQLState()));
        }
        String message = sql.getMessage();
        return cap(message == null ? sql.getClass().getSimpleName() : redactQuoted(message));
    }

    static String postgres(ServerErrorMessage server, String sqlState) {
        String primary = server.getMessage() == null ? "" : server.getMessage();
        if (sqlState != null && sqlState.startsWith("22")) {
            Matcher m = QUOTED_VALUE_AT_END.matcher(primary);
            if (m.find()) {
                primary = primary.substring(0, m.start()) + ": " + REDACTED;
            }
        }
        List<String> where = new ArrayList<>();
        if (server.getTable() != null) {
            where.add("table " + (server.getSchema() == null ? "" : server.getSchema() + ".") + server.getTable());
        }
        if (server.getColumn() != null) {
            where.add("column " + server.getColumn());
        }
        if (server.getConstraint() != null) {
            where.add("constraint " + server.getConstraint());
        }
        return where.isEmpty() ? primary : primary + " (" + String.join(", ", where) + ")";
    }

    /** Replaces single-quoted literals that are not identifiers by {@value #REDACTED}. */
    static String redactQuoted(String message) {
        Matcher m = SINGLE_QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            boolean identifier = IDENTIFIER_WORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT));
            String replacement = identifier ? m.group() : m.group(1) + m.group(2) + "'" + REDACTED + "'";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String cap(String message) {
        return message.length() <= MAX_LENGTH ? message : message.substring(0, MAX_LENGTH) + REDACTED;
    }
}
