package io.dualsync.transform;

/**
 * What one side's flow of a bidirectional map tells the map's echo filter about one coupled row
 * (the record on {@code dualsync.coupled.<map>}, keyed by the coupled key): which side it came
 * from, whether dualsync itself made the change, the image that side now holds, and the mapped
 * record to send to the other side, if any. Hashes are {@link io.dualsync.contract.CanonicalText#rowHash}
 * of the images in the columns the other direction writes; {@link #ABSENT} means "no row".
 *
 * @param from       side label, {@code a} or {@code b}
 * @param madeBySync the change was dualsync's own write (marked by capture)
 * @param holds      hash of the image the source side now holds, in the columns written into
 *                   it; {@link #ABSENT} after a delete; null when unknown
 * @param mirrors    for a change dualsync made: hash of the image the other side held when it was
 *                   written (the source image mapped back); null otherwise or when unknown
 * @param emit       the mapped record for the other side; null when there is none
 * @param commitTime for a user change: its source commit time in epoch microseconds (what
 *                   {@code latest-wins} compares); 0 when unknown or made by sync
 * @param endpoint   for a user change: the source endpoint (breaks {@code latest-wins} ties)
 * @param snapshot   the change is a snapshot read (a first sync or a resync), not a live change
 * @param resync     the change is a row read by an incremental snapshot that {@code dualsync resync}
 *                   asked for: sent to the other side even when it is known to hold that image
 */
record CoupledChange(String from, boolean madeBySync, String holds, String mirrors, Emit emit,
                     long commitTime, String endpoint, boolean snapshot, boolean resync) {

    CoupledChange(String from, boolean madeBySync, String holds, String mirrors, Emit emit) {
        this(from, madeBySync, holds, mirrors, emit, 0L, null, false, false);
    }

    CoupledChange(String from, boolean madeBySync, String holds, String mirrors, Emit emit,
                  long commitTime, String endpoint, boolean snapshot) {
        this(from, madeBySync, holds, mirrors, emit, commitTime, endpoint, snapshot, false);
    }

    static final String ABSENT = "-";

    /**
     * A mapped record, serialized as it goes to the mapped topic, with the hash of the image it
     * gives the target row ({@link #ABSENT} for a delete).
     */
    record Emit(String hash, byte[] key, byte[] value) {
    }
}
