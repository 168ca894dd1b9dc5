package io.dualsync.launcher.bench;

import io.dualsync.launcher.process.ChildService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three dualsync services of the benchmark, each a child JVM with a bounded heap, their
 * resident memory sampled from the moment they start. Apply and transform start first, capture
 * last, as {@code dualsync run} does.
 */
final class BenchServices implements AutoCloseable {

    static final List<String> SERVICES = List.of("apply", "transform", "capture");

    private final Path config;
    private final Path workDir;
    private final String maxHeap;
    private final Map<String, List<String>> jvmOptions;
    private final ProcessSampler sampler;
    private final List<ChildService> children = new ArrayList<>();

    /**
     * @param jvmOptions extra JVM options per service name (JFR, for example)
     */
    BenchServices(Path config, Path workDir, String maxHeap, Map<String, List<String>> jvmOptions, ProcessSampler sampler) {
        this.config = config;
        this.workDir = workDir;
        this.maxHeap = maxHeap;
        this.jvmOptions = jvmOptions;
        this.sampler = sampler;
    }

    void start() {
        for (String service : SERVICES) {
            ChildService child = ChildService.start(service, config, workDir, maxHeap,
                    jvmOptions.getOrDefault(service, List.of()));
            children.add(child);
            sampler.watch(service, child.pid());
        }
    }

    /** Throws, naming the service and its log, when one of them has exited. */
    void requireAllAlive() {
        children.forEach(ChildService::requireAlive);
    }

    /** Stops capture first, then transform, then apply: the reverse of the data flow's start. */
    @Override
    public void close() {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
    }
}
