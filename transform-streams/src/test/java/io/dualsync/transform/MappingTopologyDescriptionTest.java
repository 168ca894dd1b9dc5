package io.dualsync.transform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the topology's shape and names. Store names are the names of changelog topics and state
 * directories: renaming one silently starts that flow with empty links after an upgrade (every
 * row re-sent, deletes of rows synced before lost). If this test fails on purpose, update
 * {@code customers-topology.txt} and write an upgrade note.
 */
class MappingTopologyDescriptionTest {

    @Test
    void shouldKeepTheNamesOfEverySourceProcessorSinkAndStore() throws IOException {
        Fixture fixture = Fixture.customers().withContactsMap();

        String description = MappingTopology.build(fixture.config(), fixture.catalog(), new InMemoryAvroSerdes())
                .describe().toString();

        if (System.getProperty("dualsync.printTopology") != null) {
            System.out.println(description);
        }
        assertThat(description).isEqualToIgnoringNewLines(expected("customers-topology.txt"));
    }

    /** The couplings of a referenced map (global store and topic) and the waiting store of a flow with references. */
    @Test
    void shouldKeepTheNamesOfTheCouplingsAndWaitingStores() throws IOException {
        Fixture fixture = Fixture.customers().withPeopleMap(io.dualsync.config.Reference.ParentMissing.WAIT,
                io.dualsync.config.Reference.DEFAULT_MAX_WAIT);

        String description = MappingTopology.build(fixture.config(), fixture.catalog(), new InMemoryAvroSerdes())
                .describe().toString();

        if (System.getProperty("dualsync.printTopology") != null) {
            System.out.println(description);
        }
        assertThat(description).isEqualToIgnoringNewLines(expected("people-topology.txt"));
    }

    private static String expected(String resource) throws IOException {
        try (InputStream in = MappingTopologyDescriptionTest.class.getResourceAsStream("/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
