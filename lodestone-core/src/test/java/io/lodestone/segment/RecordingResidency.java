package io.lodestone.segment;

import io.lodestone.codec.Residency;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A residency of a file read by ranges that records every range asked for and fetches nothing. */
final class RecordingResidency implements Residency {
    /** {offset, length} of each range asked for, in order. */
    final List<long[]> asked = new CopyOnWriteArrayList<>();

    @Override
    public void ensure(long offset, long length) {
        asked.add(new long[] {offset, length});
    }

    @Override
    public boolean complete() {
        return false;
    }
}
