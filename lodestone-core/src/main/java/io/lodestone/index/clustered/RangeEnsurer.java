package io.lodestone.index.clustered;

/** Makes body ranges present. */
@FunctionalInterface
public interface RangeEnsurer {
    RangeEnsurer NONE = (o, l, n) -> { };

    void ensure(long[] offsets, long[] lengths, int n);
}
