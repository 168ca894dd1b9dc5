package io.dualsync.launcher.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcessSamplerTest {

    @Test
    void shouldReadPeakAndCurrentResidentMemoryFromProcStatus() {
        String status = """
                Name:\tjava
                VmPeak:\t 4000000 kB
                VmHWM:\t  612345 kB
                VmRSS:\t  598000 kB
                Threads:\t42
                """;

        assertEquals(new ProcessSampler.Reading(612345, 598000, 0), ProcessSampler.parse(status));
    }

    @Test
    void shouldAddUserAndSystemTimeFromProcStat() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 566 0 0 20 0 42 0";

        assertEquals(18.0, ProcessSampler.cpuSeconds(stat), 1e-9);
    }
}
