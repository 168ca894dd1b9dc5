package io.dualsync.launcher.verify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Every source key of one verified direction that {@code verify --repair} re-sends (rows missing
 * on the target and differing rows), however many: appended to a temporary file in the verify's
 * work directory while the buckets are compared, then read back once, a key at a time, so memory
 * stays bounded whatever the number of differences.
 */
final class RepairKeys implements AutoCloseable {

    private final Path file;
    private DataOutputStream out;
    private long count;

    RepairKeys(Path dir, String prefix) {
        try {
            file = Files.createTempFile(dir, prefix + "-repair-", ".bin");
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 16 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the verify's temporary files in " + dir, e);
        }
    }

    /** Records the source row key of a row to re-send. */
    void add(String sourceKey) {
        try {
            out.writeUTF(sourceKey);
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the verify's temporary files", e);
        }
    }

    long count() {
        return count;
    }

    /** Ends writing and passes every recorded key, in the order recorded, to {@code each}. */
    void forEach(Consumer<String> each) {
        try {
            if (out != null) {
                out.close();
                out = null;
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 16 * 1024))) {
                for (long i = 0; i < count; i++) {
                    each.accept(in.readUTF());
                }
            }
        } catch (EOFException e) {
            throw new IllegalStateException("the verify's temporary file of repair keys ends early", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the verify's temporary files", e);
        }
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
                out = null;
            }
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file left behind; the work directory is removed at the end
        }
    }
}
