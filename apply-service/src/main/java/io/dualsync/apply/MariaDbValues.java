package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.contract.ColumnValues;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;

/**
 * The checks that keep a value exact on its way into a MariaDB column, made before binding because
 * MariaDB would otherwise change the value without an error even in strict mode, or name the value
 * in its error message (messages reach logs; values must not). Each method returns the value
 * unchanged or throws an {@link IllegalArgumentException} whose message names the column, its type
 * and the reason, never the value. Ranges are MariaDB's (MariaDB docs, "Data Types").
 */
final class MariaDbValues {

    /** MariaDB's TIMESTAMP range (32-bit seconds since the epoch; 0 is reserved for the "zero" date). */
    static final Instant TIMESTAMP_MIN = Instant.parse("1970-01-01T00:00:01Z");
    static final Instant TIMESTAMP_MAX = Instant.parse("2038-01-19T03:14:07.999999Z");
    /** DATE and DATETIME: years 0001 to 9999 (MariaDB documents 1000 to 9999 as supported and stores 0001 on). */
    private static final LocalDate DATE_MIN = LocalDate.of(1, 1, 1);
    private static final LocalDate DATE_MAX = LocalDate.of(9999, 12, 31);

    private record Range(BigInteger min, BigInteger max) {
        static Range of(long min, long max) {
            return new Range(BigInteger.valueOf(min), BigInteger.valueOf(max));
        }
    }

    /** Integer ranges by native name (as {@code MariaDbTables} names the types). */
    private static final Map<String, Range> INTEGER_RANGES = Map.of(
            "tinyint", Range.of(-128, 127),
            "tinyint unsigned", Range.of(0, 255),
            "smallint", Range.of(Short.MIN_VALUE, Short.MAX_VALUE),
            "smallint unsigned", Range.of(0, 65_535),
            "mediumint", Range.of(-8_388_608, 8_388_607),
            "mediumint unsigned", Range.of(0, 16_777_215),
            "int", Range.of(Integer.MIN_VALUE, Integer.MAX_VALUE),
            "int unsigned", Range.of(0, 4_294_967_295L),
            "bigint", Range.of(Long.MIN_VALUE, Long.MAX_VALUE),
            "bigint unsigned", new Range(BigInteger.ZERO, new BigInteger("18446744073709551615")));

    /** Character sets that cannot store every character, and the Java charset that can tell. */
    private static final Map<String, Charset> NARROW_CHARSETS = Map.of(
            "ascii", StandardCharsets.US_ASCII,
            // MariaDB's latin1 is Windows code page 1252 (MariaDB docs, "Supported Character Sets")
            "latin1", Charset.forName("windows-1252"),
            "ucs2", StandardCharsets.UTF_16BE);

    private MariaDbValues() {
    }

    static long integer(Column column, long value) {
        Range range = INTEGER_RANGES.get(column.type().nativeName());
        if (range != null && (BigInteger.valueOf(value).compareTo(range.min) < 0 || BigInteger.valueOf(value).compareTo(range.max) > 0)) {
            throw refused(column, "the value is outside its range " + range.min + " to " + range.max);
        }
        return value;
    }

    static BigDecimal decimal(Column column, BigDecimal value) {
        // MariaDB rounds extra fractional digits (with only a note): refuse them instead
        BigDecimal exact;
        try {
            exact = ColumnValues.fitDecimal(value, column.type());
        } catch (IllegalArgumentException e) {
            throw refused(column, e.getMessage());
        }
        Range range = INTEGER_RANGES.get(column.type().nativeName());
        if (range != null && (exact.toBigInteger().compareTo(range.min) < 0 || exact.toBigInteger().compareTo(range.max) > 0)) {
            throw refused(column, "the value is outside its range " + range.min + " to " + range.max);
        }
        if (column.type().nativeName().endsWith("unsigned") && exact.signum() < 0) {
            throw refused(column, "the column is unsigned and the value is negative");
        }
        return exact;
    }

    static float finite(Column column, float value) {
        if (!Float.isFinite(value)) {
            throw refused(column, "MariaDB stores no NaN or infinity");
        }
        return signedZero(column, value == 0 && Float.floatToRawIntBits(value) != 0, value);
    }

    static double finite(Column column, double value) {
        if (!Double.isFinite(value)) {
            throw refused(column, "MariaDB stores no NaN or infinity");
        }
        if (value != 0 && Math.abs(value) < Double.MIN_NORMAL) {
            throw refused(column, "MariaDB's DOUBLE has no subnormal numbers (below 2.2250738585072014E-308)");
        }
        return signedZero(column, value == 0 && Double.doubleToRawLongBits(value) != 0, value);
    }

    /** MariaDB reads -0 back as 0: the sign would be lost, so negative zero is refused. */
    private static <T> T signedZero(Column column, boolean negativeZero, T value) {
        if (negativeZero) {
            throw refused(column, "MariaDB does not keep the sign of a negative zero");
        }
        return value;
    }

    /**
     * Refuses text longer than a {@code char(n)}/{@code varchar(n)} (MariaDB counts characters)
     * and characters the column's character set cannot store: {@code utf8mb3} has no 4-byte UTF-8
     * characters (emoji, many CJK ideographs), and MariaDB would reject or replace them.
     */
    static String text(Column column, String value) {
        SqlType type = column.type();
        if (type.precision() > 0 && value.codePointCount(0, value.length()) > type.precision()) {
            throw refused(column, "the text has " + value.codePointCount(0, value.length())
                    + " characters, more than the column's " + type.precision());
        }
        String charset = charset(type.nativeName());
        if (charset == null) {
            return value;
        }
        if (charset.startsWith("utf8") && !charset.equals("utf8mb4")) {
            if (value.codePoints().anyMatch(Character::isSupplementaryCodePoint)) {
                throw refused(column, "the text has a 4-byte UTF-8 character (e.g. an emoji) that character set "
                        + charset + " cannot store; convert the column to utf8mb4");
            }
            return value;
        }
        Charset narrow = NARROW_CHARSETS.get(charset);
        if (narrow != null && !narrow.newEncoder().canEncode(value)) {
            throw refused(column, "the text has a character that character set " + charset
                    + " cannot store; convert the column to utf8mb4");
        }
        return value;
    }

    static LocalDate date(Column column, LocalDate value) {
        if (value.isBefore(DATE_MIN) || value.isAfter(DATE_MAX)) {
            throw refused(column, "the date is outside MariaDB's range 0001-01-01 to 9999-12-31");
        }
        return value;
    }

    static LocalTime time(Column column, LocalTime value) {
        fraction(column, value.getNano());
        return value;
    }

    static LocalDateTime datetime(Column column, LocalDateTime value) {
        date(column, value.toLocalDate());
        fraction(column, value.getNano());
        return value;
    }

    /** MariaDB's TIMESTAMP holds 1970-01-01 00:00:01 to 2038-01-19 03:14:07.999999 UTC; it never clamps here. */
    static Instant timestamp(Column column, Instant value) {
        if (value.isBefore(TIMESTAMP_MIN) || value.isAfter(TIMESTAMP_MAX)) {
            throw refused(column, "the instant is outside MariaDB's TIMESTAMP range 1970-01-01 00:00:01 UTC"
                    + " to 2038-01-19 03:14:07.999999 UTC; use a DATETIME column for it");
        }
        fraction(column, value.getNano());
        return value;
    }

    /** {@code binary(n)} pads a shorter value with zero bytes, so it would not read back the same. */
    static byte[] bytes(Column column, byte[] value) {
        SqlType type = column.type();
        if (type.precision() > 0 && value.length > type.precision()) {
            throw refused(column, "the value has " + value.length + " bytes, more than the column's " + type.precision());
        }
        if (type.nativeName().equals("binary") && value.length != type.precision()) {
            throw refused(column, "the value has " + value.length + " bytes and binary(" + type.precision()
                    + ") would pad it with zero bytes; use varbinary");
        }
        return value;
    }

    /** MariaDB truncates fractional seconds beyond the column's precision: refuse them instead. */
    private static void fraction(Column column, int nanos) {
        int digits = Math.max(0, Math.min(6, column.type().precision()));
        int unit = (int) Math.pow(10, 9 - digits);
        if (nanos % unit != 0) {
            throw refused(column, "the column keeps " + digits + " fractional second digit(s); the value has more");
        }
    }

    /** The character set a native name carries ({@code varchar character set utf8mb3}); null for utf8mb4. */
    private static String charset(String nativeName) {
        int at = nativeName.indexOf(" character set ");
        return at < 0 ? null : nativeName.substring(at + " character set ".length()).trim();
    }

    private static IllegalArgumentException refused(Column column, String reason) {
        return new IllegalArgumentException("column " + column.name() + " (" + column.type().nativeName()
                + ") cannot store the value exactly: " + reason);
    }
}
