package io.dualsync.launcher.verify;

/** A kind of difference between the two sides of a verified direction; each one means "not in sync". */
enum Category {
    /** an in-scope source row whose target row does not exist */
    MISSING_ON_TARGET("missing on target"),
    /** a target row no source row maps to, where every target row should have one */
    EXTRA_ON_TARGET("extra on target"),
    /** both rows exist, but some mapped column differs */
    DIFFERING("differing"),
    /**
     * an in-scope source row the pipeline cannot map (it would dead-letter its changes), or one
     * that maps to the same target key as another source row
     */
    UNMAPPABLE("unmappable");

    private final String label;

    Category(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
