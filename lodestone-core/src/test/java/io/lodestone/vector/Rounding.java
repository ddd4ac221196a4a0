package io.lodestone.vector;

import org.assertj.core.data.Offset;

/**
 * The same kernel may round differently from one call to the next: the Vector API leaves the order of
 * lane reductions open, and interpreted and JIT-compiled code can sum lanes in different orders. So two
 * evaluations of one distance agree to a few ulps, not bit for bit.
 */
final class Rounding {
    private Rounding() {
    }

    /** Tolerance for comparing two evaluations of the same float kernel around {@code expected}. */
    static Offset<Float> near(float expected) {
        return Offset.offset(Math.max(1e-5f * Math.abs(expected), 1e-6f));
    }
}
