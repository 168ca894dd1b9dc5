package io.dualsync.launcher.verify;

import io.dualsync.apply.SqlDialect;
import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.DeletePolicy;
import io.dualsync.config.Direction;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.contract.CanonicalText;
import io.dualsync.contract.MappedColumns;
import io.dualsync.transform.ExpectedRows;
import io.dualsync.transform.MappingException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Verifies one direction of a table map: whether the target side holds, for every source row in
 * scope, the row the pipeline would have written, and nothing else.
 *
 * <p><b>Same rules as the pipeline.</b> Source rows are read with JDBC as canonical values and
 * turned into the expected target row by transform's own mapping ({@link ExpectedRows}: scope,
 * field maps, value maps, prefixes, type conversion); target rows are read with apply's
 * {@link SqlDialect}, in the columns of {@link MappedColumns} (those this direction writes, so an
 * unmapped column never counts). Both are reduced to their row key and image hash
 * ({@link CanonicalText}), the hash apply stores in its bookkeeping.
 *
 * <p><b>Bounded memory, whatever the key mapping.</b> The two sides cannot be merge-joined in key
 * order: the target key is computed from the source row (a prefix, a value map, a type change), so
 * source key order is not target key order, and Java's string order is not a database collation.
 * Instead each side is read once in keyset-paginated chunks ({@link KeysetReader}, only a chunk in
 * memory) and its rows spilled to disk into {@code n} buckets by the hash of the target key
 * ({@link SpillBuckets}), {@code n} chosen from the row counts so that one bucket holds about
 * {@code bucketRows} rows; then bucket {@code i} of the source is loaded into a hash map and bucket
 * {@code i} of the target streamed past it ({@link BucketComparison}). The two sides are read at the
 * same time, on two connections. Memory is a chunk of each side plus one bucket of small records;
 * disk is some tens of bytes a row, written once and read once; each table is counted, then read once.
 *
 * <p>Rows that change while verify runs may show as differences: it compares what it read, when it
 * read it. Run it when the pipeline has caught up, or run it again.
 */
final class DirectionVerifier {

    /**
     * Buckets per side at most: each is an open file with its buffer while a side is written, and
     * 2 x 256 stays well below the usual limit of 1,024 open files. Beyond 256 x {@code bucketRows}
     * rows (25.6 million by default) buckets grow past {@code bucketRows}.
     */
    static final int MAX_BUCKETS = 256;

    private final SyncConfig config;
    private final Catalog catalog;
    private final VerifiedDirection direction;
    private final int chunkSize;
    private final int bucketRows;
    private final Path workDir;

    DirectionVerifier(SyncConfig config, Catalog catalog, VerifiedDirection direction, int chunkSize, int bucketRows,
                      Path workDir) {
        this.config = config;
        this.catalog = catalog;
        this.direction = direction;
        this.chunkSize = chunkSize;
        this.bucketRows = bucketRows;
        this.workDir = workDir;
    }

    /**
     * @param source a connection to the source side's endpoint
     * @param target a connection to the target side's endpoint
     */
    DirectionResult verify(Connection source, SqlDialect sourceDialect, Connection target, SqlDialect targetDialect,
                           int maxKeys) throws SQLException {
        long started = System.nanoTime();
        TableMap map = direction.map();
        ExpectedRows expected = ExpectedRows.of(config, catalog, map, direction.from());
        TableSchema sourceTable = catalog.require(map.table(direction.from()));
        TableSchema targetTable = catalog.require(map.table(direction.to()));
        MappedColumns mapped = MappedColumns.of(map, direction.from(), catalog);
        List<String> sourceKey = ExpectedRows.keyColumns(map, direction.from());

        KeysetReader sourceRows = new KeysetReader(source, sourceDialect, sourceTable, sourceKey,
                expected.sourceColumns(), chunkSize);
        Set<String> targetColumns = new LinkedHashSet<>(mapped.columns());
        targetColumns.addAll(ExpectedRows.scopeColumns(map, direction.to()));
        KeysetReader targetRows = new KeysetReader(target, targetDialect, targetTable, mapped.keyColumns(),
                List.copyOf(targetColumns), chunkSize);

        long most = Math.max(sourceRows.count(), targetRows.count());
        int buckets = (int) Math.max(1, Math.min(MAX_BUCKETS, (most + bucketRows - 1) / bucketRows));
        // the target thread touches only tally.targetRows, the source thread every other field
        Tally tally = new Tally(maxKeys);
        try (SpillBuckets sourceBuckets = new SpillBuckets(workDir, "source", buckets);
             SpillBuckets targetBuckets = new SpillBuckets(workDir, "target", buckets)) {
            Predicate<Map<String, Object>> targetScope = ExpectedRows.scopeOf(map, direction.to());
            // the two sides are read at the same time, each on its own connection: while one waits
            // for its database, the other maps and hashes
            try (ExecutorService targetReader = Executors.newSingleThreadExecutor()) {
                Future<?> targetRead = targetReader.submit(() -> {
                    targetRows.forEach(row -> {
                        tally.targetRows++;
                        targetBuckets.add(new KeyedImage(rowKey(row, mapped.keyColumns()),
                                hash(image(row, mapped.columns())), null, targetScope.test(row)));
                    });
                    targetBuckets.finish();
                    return null;
                });
                try {
                    sourceRows.forEach(row -> spillSource(row, expected, sourceKey, sourceBuckets, tally));
                    sourceBuckets.finish();
                } catch (SQLException | RuntimeException e) {
                    targetRead.cancel(true); // stops the target read after its current chunk
                    throw e;
                }
                await(targetRead);
            }
            for (int i = 0; i < buckets; i++) {
                BucketComparison.compare(sourceBuckets.bucket(i), targetBuckets.bucket(i), reportExtra(map), tally);
            }
        }
        return new DirectionResult(direction, sourceTable.ref().toString(), targetTable.ref().toString(), tally,
                Duration.ofNanos(System.nanoTime() - started), List.of());
    }

    private static void await(Future<?> read) throws SQLException {
        try {
            read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the target side", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void spillSource(Map<String, Object> row, ExpectedRows expected, List<String> sourceKey,
                                    SpillBuckets buckets, Tally tally) {
        boolean inScope = expected.inScope(row);
        if (inScope) {
            tally.sourceRowsInScope++;
        } else {
            tally.sourceRowsOutOfScope++;
        }
        String sourceRowKey = rowKey(row, sourceKey);
        ExpectedRows.Image image;
        try {
            image = expected.map(row);
        } catch (MappingException e) {
            if (inScope) {
                tally.add(Category.UNMAPPABLE, null, sourceRowKey);
            }
            return;
        }
        buckets.add(new KeyedImage(CanonicalText.rowKey(image.key().values()), hash(image.columns()), sourceRowKey, inScope));
    }

    /**
     * Target rows nothing maps to are differences only where every target row should come from the
     * source: not for a bidirectional map (the other direction reports such a row as missing on its
     * target when it is in scope), nor where deletes are ignored or soft (a deleted source row's
     * target row stays).
     */
    private static boolean reportExtra(TableMap map) {
        return map.direction() != Direction.BIDIRECTIONAL && map.deletes().kind() == DeletePolicy.Kind.DELETE;
    }

    static String rowKey(Map<String, Object> row, List<String> keyColumns) {
        List<Object> values = new ArrayList<>(keyColumns.size());
        keyColumns.forEach(k -> values.add(row.get(k)));
        return CanonicalText.rowKey(values);
    }

    static Map<String, Object> image(Map<String, Object> row, List<String> columns) {
        Map<String, Object> image = new LinkedHashMap<>();
        columns.forEach(c -> image.put(c, row.get(c)));
        return image;
    }

    private static byte[] hash(Map<String, Object> image) {
        return HexFormat.of().parseHex(CanonicalText.rowHash(image));
    }
}
