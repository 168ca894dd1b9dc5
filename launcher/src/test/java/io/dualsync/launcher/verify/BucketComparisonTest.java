package io.dualsync.launcher.verify;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BucketComparisonTest {

    @Test
    void shouldFindNothingWhenBothSidesHoldTheSameImages() {
        Tally tally = compare(List.of(source("k1", "x", true), source("k2", "y", true)),
                List.of(target("k2", "y"), target("k1", "x")), true);
        assertThat(tally.inSync()).isTrue();
        assertThat(tally.matching).isEqualTo(2);
    }

    @Test
    void shouldReportEachKindOfDifferenceWithItsKeys() {
        Tally tally = compare(List.of(source("same", "x", true), source("gone", "x", true), source("changed", "x", true)),
                List.of(target("same", "x"), target("changed", "z"), target("stray", "x")), true);
        assertThat(tally.count(Category.MISSING_ON_TARGET)).isEqualTo(1);
        assertThat(tally.keys(Category.MISSING_ON_TARGET)).containsExactly(new Tally.ReportedKey("gone", "src-gone"));
        assertThat(tally.keys(Category.DIFFERING)).containsExactly(new Tally.ReportedKey("changed", "src-changed"));
        assertThat(tally.keys(Category.EXTRA_ON_TARGET)).containsExactly(new Tally.ReportedKey("stray", null));
        assertThat(tally.inSync()).isFalse();
        assertThat(tally.differences()).isEqualTo(3);
    }

    @Test
    void shouldNotExpectASourceRowOutOfScopeNorCountItsTargetRowAsExtra() {
        Tally tally = compare(List.of(source("filtered", "x", false), source("left-scope", "x", false)),
                List.of(target("left-scope", "old")), true);
        assertThat(tally.inSync()).isTrue();
        assertThat(tally.targetRowsNotExpected).isEqualTo(1);
    }

    @Test
    void shouldNotCountTargetRowsNothingMapsToWhenExtrasAreNotDifferences() {
        Tally tally = compare(List.of(), List.of(target("from-the-other-side", "x")), false);
        assertThat(tally.inSync()).isTrue();
        assertThat(tally.targetRowsNotExpected).isEqualTo(1);
    }

    @Test
    void shouldNotCountATargetRowOutsideItsOwnSidesScopeAsExtra() {
        Tally tally = compare(List.of(), List.of(new KeyedImage("other-company", hash("x"), null, false)), true);
        assertThat(tally.inSync()).isTrue();
    }

    @Test
    void shouldReportASecondSourceRowMappingToTheSameTargetKeyAsUnmappable() {
        Tally tally = compare(List.of(new KeyedImage("k", hash("x"), "first", true), new KeyedImage("k", hash("y"), "second", true)),
                List.of(target("k", "x")), true);
        assertThat(tally.keys(Category.UNMAPPABLE)).containsExactly(new Tally.ReportedKey("k", "second"));
        assertThat(tally.matching).isEqualTo(1);
    }

    @Test
    void shouldCompareTheInScopeRowWhenAnOutOfScopeOneSharesItsTargetKey() {
        Tally tally = compare(List.of(new KeyedImage("k", hash("old"), "out", false), new KeyedImage("k", hash("x"), "in", true)),
                List.of(target("k", "x")), true);
        assertThat(tally.inSync()).isTrue();
        assertThat(tally.matching).isEqualTo(1);
    }

    @Test
    void shouldListAtMostMaxKeysButCountEveryDifference() {
        Tally tally = new Tally(2);
        BucketComparison.compare(List.of(source("a", "x", true), source("b", "x", true), source("c", "x", true)), List.of(), true, tally);
        assertThat(tally.count(Category.MISSING_ON_TARGET)).isEqualTo(3);
        assertThat(tally.keys(Category.MISSING_ON_TARGET)).hasSize(2);
    }

    private static Tally compare(List<KeyedImage> source, List<KeyedImage> target, boolean reportExtra) {
        Tally tally = new Tally(10);
        BucketComparison.compare(source, target, reportExtra, tally);
        return tally;
    }

    private static KeyedImage source(String key, String image, boolean inScope) {
        return new KeyedImage(key, hash(image), "src-" + key, inScope);
    }

    private static KeyedImage target(String key, String image) {
        return new KeyedImage(key, hash(image), null, true);
    }

    static byte[] hash(String image) {
        return Arrays.copyOf(image.getBytes(StandardCharsets.UTF_8), 32);
    }
}
