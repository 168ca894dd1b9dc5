package io.dualsync.it;

import io.dualsync.capture.CaptureService;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;

import java.util.List;

/**
 * What an integration test gives back when it ends: its services stopped, the replication slots
 * and publications of its PostgreSQL sources dropped (the shared server keeps them otherwise,
 * and a slot holds WAL), its connections closed. Each step runs even when one before it failed
 * or set-up stopped halfway (nulls are skipped).
 */
final class PipelineTeardown {

    private PipelineTeardown() {
    }

    static void stop(ServiceHost host, Startup.Checked checked, List<String> postgresSources,
                     AutoCloseable... connections) throws Exception {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            try {
                if (checked != null) {
                    for (String endpoint : postgresSources) {
                        CaptureService.dropSlotAndPublication(checked.config().endpoint(endpoint));
                    }
                }
            } finally {
                for (AutoCloseable connection : connections) {
                    if (connection != null) {
                        connection.close();
                    }
                }
            }
        }
    }
}
