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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of one side of a verified direction, spread over {@code n} temporary files by the
 * hash of their target key: a row and its counterpart on the other side land in buckets of the
 * same number, so the sides can be compared one bucket at a time ({@link BucketComparison})
 * whatever order the tables were read in. Written once (append, then {@link #finish()}), then read
 * bucket by bucket. Each record is small (key texts, 32 bytes of hash), so a million rows take
 * some tens of megabytes of disk and a few kilobytes of buffers per bucket.
 */
final class SpillBuckets implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final List<Path> files = new ArrayList<>();
    private final List<DataOutputStream> outputs = new ArrayList<>();

    SpillBuckets(Path dir, String prefix, int n) {
        try {
            for (int i = 0; i < n; i++) {
                Path file = Files.createTempFile(dir, prefix + "-" + i + "-", ".bin");
                files.add(file);
                outputs.add(new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER)));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot create the verify's temporary files in " + dir, e);
        }
    }

    int size() {
        return files.size();
    }

    /** The bucket of a target key: the same on both sides for the same key. */
    static int bucketOf(String targetKey, int n) {
        return Math.floorMod(targetKey.hashCode(), n);
    }

    void add(KeyedImage row) {
        DataOutputStream out = outputs.get(bucketOf(row.targetKey(), files.size()));
        try {
            out.writeUTF(row.targetKey());
            out.write(row.hash());
            out.writeUTF(row.sourceKey() == null ? "" : row.sourceKey());
            out.writeBoolean(row.inScope());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the verify's temporary files", e);
        }
    }

    /** Ends writing; buckets can be read afterwards. */
    void finish() {
        try {
            for (DataOutputStream out : outputs) {
                out.close();
            }
            outputs.clear();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the verify's temporary files", e);
        }
    }

    /** The rows of bucket {@code i}, read from disk as they are iterated. */
    Iterable<KeyedImage> bucket(int i) {
        if (!outputs.isEmpty()) {
            throw new IllegalStateException("finish() the buckets before reading them");
        }
        return () -> new Reader(files.get(i));
    }

    @Override
    public void close() {
        for (DataOutputStream out : outputs) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file is deleted next anyway
            }
        }
        outputs.clear();
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind in the temporary directory
            }
        }
    }

    private static final class Reader implements Iterator<KeyedImage> {
        private final DataInputStream in;
        private KeyedImage next;

        Reader(Path file) {
            try {
                in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the verify's temporary files", e);
            }
            advance();
        }

        private void advance() {
            try {
                String targetKey = in.readUTF();
                byte[] hash = new byte[32];
                in.readFully(hash);
                String sourceKey = in.readUTF();
                boolean inScope = in.readBoolean();
                next = new KeyedImage(targetKey, hash, sourceKey.isEmpty() ? null : sourceKey, inScope);
            } catch (EOFException end) {
                next = null;
                closeQuietly();
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException("cannot read the verify's temporary files", e);
            }
        }

        private void closeQuietly() {
            try {
                in.close();
            } catch (IOException ignored) {
                // read to the end already
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public KeyedImage next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            KeyedImage current = next;
            advance();
            return current;
        }
    }
}
