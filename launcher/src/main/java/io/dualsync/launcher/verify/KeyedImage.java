package io.dualsync.launcher.verify;

/**
 * One row of one side of a verified direction, reduced to what the comparison needs: the row key
 * of the target key it has or would have ({@code CanonicalText.rowKey}), the SHA-256 of its
 * mapped image ({@code CanonicalText.rowHash}, 32 bytes), the source row's own key (empty for
 * target rows) and whether the row is in scope of its side.
 */
record KeyedImage(String targetKey, byte[] hash, String sourceKey, boolean inScope) {
}
