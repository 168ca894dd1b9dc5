package io.dualsync.transform;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default state directory is kept apart per Kafka cluster: links stores left behind by a run
 * against another cluster (a test broker of an earlier run, a reset cluster) must never be read as
 * current, or a change whose image matches a stale link would be dropped as unchanged.
 */
class TransformServiceStateDirTest {

    @Test
    void shouldKeepTheLinksStoresOfDifferentKafkaClustersApart() {
        Path first = TransformService.defaultStateDir("dualsync-transform", "MkU3OEVBNTcwNTJENDM2Qk");
        Path second = TransformService.defaultStateDir("dualsync-transform", "x7Hc0S9tQ-qbq6T_nQ3XHg");

        assertThat(first).isNotEqualTo(second);
        assertThat(first.getParent()).isEqualTo(second.getParent());
        assertThat(first.getParent().getFileName()).hasToString("dualsync-transform");
        assertThat(TransformService.defaultStateDir("dualsync-transform", "MkU3OEVBNTcwNTJENDM2Qk")).isEqualTo(first);
    }

    @Test
    void shouldTurnAClusterIdIntoOneSafeDirectoryName() {
        Path dir = TransformService.defaultStateDir("app", "../a/b");

        assertThat(dir.getFileName()).hasToString(".._a_b".replace('.', '_'));
        assertThat(dir.getParent().getFileName()).hasToString("app");
    }
}
