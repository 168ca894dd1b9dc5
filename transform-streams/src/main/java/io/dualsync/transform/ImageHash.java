package io.dualsync.transform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * SHA-256 of a target row image (column names and the {@link CanonicalText} of their values,
 * in order, length-prefixed so that no two images share an encoding; null differs from every
 * text). Two images hash alike only when every mapped value is the same.
 */
final class ImageHash {

    private ImageHash() {
    }

    static String of(Map<String, Object> columns) {
        StringBuilder encoded = new StringBuilder();
        columns.forEach((column, value) -> {
            append(encoded, column);
            String text = CanonicalText.format(value);
            if (text == null) {
                encoded.append('-');
            } else {
                encoded.append('+');
                append(encoded, text);
            }
        });
        return HexFormat.of().formatHex(sha256().digest(encoded.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void append(StringBuilder b, String text) {
        b.append(text.length()).append(':').append(text);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
