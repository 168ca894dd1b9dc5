package io.dualsync.launcher.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RssSamplerTest {

    @Test
    void shouldReadPeakAndCurrentResidentMemoryFromProcStatus() {
        String status = """
                Name:\tjava
                VmPeak:\t 4000000 kB
                VmHWM:\t  612345 kB
                VmRSS:\t  598000 kB
                Threads:\t42
                """;

        assertEquals(new RssSampler.Reading(612345, 598000), RssSampler.parse(status));
    }
}
