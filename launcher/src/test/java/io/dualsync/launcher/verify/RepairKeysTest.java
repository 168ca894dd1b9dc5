package io.dualsync.launcher.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --repair} collects every key to re-send, however few keys the report lists. */
class RepairKeysTest {

    @Test
    void shouldCollectTheSourceKeyOfEveryMissingAndDifferingRowBeyondTheListedOnes(@TempDir Path dir) throws Exception {
        List<KeyedImage> source = new ArrayList<>();
        List<KeyedImage> target = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            source.add(new KeyedImage("t" + i, hash("v" + i), "[\"s" + i + "\"]", true));
            if (i % 10 == 0) {
                continue; // missing on target
            }
            target.add(new KeyedImage("t" + i, hash(i % 10 == 1 ? "changed" : "v" + i), null, true)); // differing when i % 10 == 1
        }
        target.add(new KeyedImage("stray", hash("x"), null, true)); // extra: not for a source snapshot
        List<String> collected = new ArrayList<>();
        try (RepairKeys keys = new RepairKeys(dir, "a-to-b")) {
            Tally tally = new Tally(3, keys);
            BucketComparison.compare(source, target, true, tally);
            assertThat(tally.keys(Category.MISSING_ON_TARGET)).hasSize(3);
            assertThat(keys.count()).isEqualTo(200);
            keys.forEach(collected::add);
        }
        assertThat(collected).hasSize(200).doesNotHaveDuplicates().allMatch(k -> k.matches("\\[\"s\\d*[01]\"]"));
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("the spill file is removed").isEmpty();
        }
    }

    private static byte[] hash(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
