package io.dualsync.config;

/** Which way changes flow for a table map. */
public enum Direction {
    A_TO_B("a-to-b"),
    B_TO_A("b-to-a"),
    BIDIRECTIONAL("bidirectional");

    private final String configName;

    Direction(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Whether changes captured on {@code from} are applied to the other side. */
    public boolean flowsFrom(Side from) {
        return this == BIDIRECTIONAL || (from == Side.A ? this == A_TO_B : this == B_TO_A);
    }
}
