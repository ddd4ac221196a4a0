package io.lodestone.index.clustered;

/**
 * Makes byte ranges of an index body present before they are read: {@code n} ranges, range {@code i}
 * of {@code lengths[i]} bytes at body-relative {@code offsets[i]}, fetched as one batch (one round of
 * parallel ranged reads from object storage). {@code codec.MappedFrame::ensure} has this shape.
 */
@FunctionalInterface
public interface RangeEnsurer {

    /** For a body that is fully present (a complete mapped file, a heap segment): does nothing. */
    RangeEnsurer NONE = (offsets, lengths, n) -> { };

    /** Makes the {@code n} ranges present; unchecked exceptions report storage failures. */
    void ensure(long[] offsets, long[] lengths, int n);
}
