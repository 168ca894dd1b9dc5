package io.dualsync.launcher.bench;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 3, maximum sustained rate: runs steps of steady load, doubling the rate from a start
 * rate until a step is not sustained, then halves the gap between the best sustained and the
 * first failed rate while steps are left. A step is sustained when the writer reached 95 % of
 * the rate, every change was applied within the lag check after the writer stopped, and the p99
 * latency of the step's last {@value StreamingStep#TAIL_SECONDS} s stayed within
 * {@link #tailBound(double)} of its first {@value StreamingStep#TAIL_SECONDS} s (latency that
 * keeps growing means a backlog that keeps growing). The search is bounded by a number of steps.
 */
final class MaxRateScenario {

    /** The outcome: every step run, and the highest rate sustained (0 if none). */
    record Result(List<StreamingStep.Result> steps, int maxSustainedRate, int stepSeconds) {
    }

    private final StreamingStep step;

    MaxRateScenario(StreamingStep step) {
        this.step = step;
    }

    Result run(int startRate, int maxSteps, Duration stepDuration, PrintWriter out) throws SQLException, InterruptedException {
        List<StreamingStep.Result> steps = new ArrayList<>();
        int best = 0;
        int failed = 0;
        int rate = startRate;
        for (int i = 0; i < maxSteps && rate > best; i++) {
            out.printf("Max rate: step %d at %,d changes/s for %d s ...%n", i + 1, rate, stepDuration.toSeconds());
            out.flush();
            StreamingStep.Result r = step.run(rate, stepDuration);
            steps.add(r);
            boolean ok = sustained(r);
            out.printf("  %s: achieved %,.0f/s, p99 %.0f ms (first %ds %.0f ms, last %ds %.0f ms), lag %,d after %d s%n",
                    ok ? "sustained" : "NOT sustained", r.achievedRate(), r.latency().p99(),
                    StreamingStep.TAIL_SECONDS, r.headP99(), StreamingStep.TAIL_SECONDS, r.tailP99(), r.lagAtCheck(), r.lagSeconds());
            out.flush();
            if (ok) {
                best = rate;
                rate = failed == 0 ? rate * 2 : (best + failed) / 2;
            } else {
                failed = rate;
                rate = (best + failed) / 2;
            }
            if (failed > 0 && failed - best <= Math.max(100, best / 10)) {
                break; // close enough
            }
        }
        return new Result(steps, best, (int) stepDuration.toSeconds());
    }

    static boolean sustained(StreamingStep.Result r) {
        return r.achievedRate() >= 0.95 * r.rate() && r.keptUp() && r.tailP99() <= tailBound(r.headP99());
    }

    /** Twice the head's p99, but at least one second: jitter below that is not a growing backlog. */
    static double tailBound(double headP99) {
        return Math.max(1000, 2 * headP99);
    }
}
