package io.dualsync.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a set of services in one process: starts them in order, stops them in reverse order on
 * SIGTERM/Ctrl-C or when any of them fails, and reports which one failed. A service that dies
 * must not leave the others running as if nothing happened.
 */
public final class ServiceHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceHost.class);

    /** One hosted service: how to stop it and how to ask whether it has failed. */
    public record Hosted(String name, AutoCloseable service, Supplier<Optional<Throwable>> failure) {
    }

    private final List<Hosted> started = new ArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean closed;

    /** Adds a service that has just been started; it will be closed with the others. */
    public synchronized void add(Hosted service) {
        started.add(service);
        LOG.info("{} started", service.name());
    }

    /** Closes everything on SIGTERM or Ctrl-C. */
    public ServiceHost closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            close();
        }, "dualsync-shutdown"));
        return this;
    }

    /**
     * Blocks until shutdown is requested or a service fails.
     *
     * @return the failure of the first service that failed, if any
     */
    public Optional<String> awaitStopOrFailure() throws InterruptedException {
        while (!stopRequested.await(500, TimeUnit.MILLISECONDS)) {
            Optional<String> failed = firstFailure();
            if (failed.isPresent()) {
                return failed;
            }
        }
        return Optional.empty();
    }

    /** The first hosted service that has failed, described for the user. */
    public synchronized Optional<String> firstFailure() {
        for (Hosted h : started) {
            Optional<Throwable> f = h.failure().get();
            if (f.isPresent()) {
                return Optional.of(h.name() + " failed: " + f.get());
            }
        }
        return Optional.empty();
    }

    public void requestStop() {
        stopRequested.countDown();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            Hosted h = started.get(i);
            try {
                h.service().close();
                LOG.info("{} stopped", h.name());
            } catch (Exception e) {
                LOG.warn("{} did not stop cleanly: {}", h.name(), e.toString());
            }
        }
    }
}
