package io.dualsync.launcher.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SpillBucketsTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryRowInTheBucketOfItsKeyAndDeleteItsFilesOnClose() throws Exception {
        Set<String> read = new HashSet<>();
        try (SpillBuckets buckets = new SpillBuckets(dir, "t", 7)) {
            for (int i = 0; i < 1000; i++) {
                buckets.add(new KeyedImage("[\"K-" + i + "\"]", BucketComparisonTest.hash("v" + i), i % 2 == 0 ? null : "[\"" + i + "\"]", i % 3 == 0));
            }
            buckets.finish();
            for (int b = 0; b < buckets.size(); b++) {
                List<KeyedImage> rows = new ArrayList<>();
                buckets.bucket(b).forEach(rows::add);
                for (KeyedImage row : rows) {
                    assertThat(SpillBuckets.bucketOf(row.targetKey(), 7)).isEqualTo(b);
                    int i = Integer.parseInt(row.targetKey().replaceAll("\\D", ""));
                    assertThat(row.hash()).isEqualTo(BucketComparisonTest.hash("v" + i));
                    assertThat(row.sourceKey()).isEqualTo(i % 2 == 0 ? null : "[\"" + i + "\"]");
                    assertThat(row.inScope()).isEqualTo(i % 3 == 0);
                    read.add(row.targetKey());
                }
            }
        }
        assertThat(read).hasSize(1000);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
