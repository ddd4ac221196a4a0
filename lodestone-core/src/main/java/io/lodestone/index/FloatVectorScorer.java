package io.lodestone.index;

import io.lodestone.vector.VectorUtil;

import java.lang.foreign.MemorySegment;

/**
 * The exact float scorers {@link FloatVectorScorerSupplier} hands out, one subclass per storage so
 * that the hot {@link #distance} is a direct kernel call with no copying. A distance is either the
 * squared L2 distance, or {@code bias + scale · (q·x) · inverseNorm[x]} for the dot-product family:
 * {@code -q·x} for dot product, {@code 1 - q·x} for cosine on unit vectors, and with the stored
 * inverse norms for cosine on vectors of any norm.
 */
abstract sealed class FloatVectorScorer implements UpdateableRandomVectorScorer, ExactScorer {
    // Each subclass overrides distances() with its own loop, so that the per-row distance call is
    // monomorphic (a shared default method would see every scorer class and stop inlining).

    static final int L2 = 0;
    static final int DOT = 1;
    static final int COSINE = 2;

    final int mode;
    final int dim;
    final int size;
    final float[] inverseNorms;
    final float bias;
    float[] query;
    int queryOffset;
    /** -1 for dot and cosine, times the query's inverse norm for cosine over non-unit vectors. */
    float scale;

    FloatVectorScorer(FloatVectorValues values, int mode, float[] inverseNorms) {
        this.mode = mode;
        this.dim = values.dimension();
        this.size = values.size();
        this.inverseNorms = mode == COSINE ? inverseNorms : null;
        this.bias = mode == COSINE ? 1f : 0f;
    }

    /** Sets the query: {@code query[offset, offset + dim)}, already normalized for cosine. */
    final void setQuery(float[] query, int offset, float queryInverseNorm) {
        this.query = query;
        this.queryOffset = offset;
        this.scale = -queryInverseNorm;
    }

    /** The query's inverse norm when it is stored vector {@code ord}. */
    final float inverseNorm(int ord) {
        return inverseNorms == null ? 1f : inverseNorms[ord];
    }

    /** The distance from a raw dot product with vector {@code ord}. */
    final float fromDot(float dot, int ord) {
        return inverseNorms == null ? bias + scale * dot : bias + scale * dot * inverseNorms[ord];
    }

    @Override
    public final int size() {
        return size;
    }

    /** Over an {@link ArrayVectorValues}: reads rows in place, including the query row. */
    static final class OnArray extends FloatVectorScorer {
        private final float[] data;

        OnArray(ArrayVectorValues values, int mode, float[] inverseNorms) {
            super(values, mode, inverseNorms);
            this.data = values.data();
        }

        @Override
        public void setQueryOrd(int ord) {
            java.util.Objects.checkIndex(ord, size);
            setQuery(data, ord * dim, inverseNorm(ord));
        }

        @Override
        public float distance(int ord) {
            int off = ord * dim;
            if (mode == L2) {
                return VectorUtil.squaredDistance(query, queryOffset, data, off, dim);
            }
            return fromDot(VectorUtil.dot(query, queryOffset, data, off, dim), ord);
        }

        @Override
        public void distances(int[] ords, int count, float[] out) {
            // The bulk kernels score several rows at once (their memory reads overlap).
            if (mode == L2) {
                VectorUtil.squaredDistances(query, queryOffset, data, ords, count, dim, out);
                return;
            }
            VectorUtil.dots(query, queryOffset, data, ords, count, dim, out);
            for (int i = 0; i < count; i++) {
                out[i] = fromDot(out[i], ords[i]);
            }
        }
    }

    /** Over a {@link MemorySegmentVectorValues}; an ordinal query is copied to the heap once. */
    static final class OnSegment extends FloatVectorScorer {
        private final MemorySegmentVectorValues values;
        private final MemorySegment segment;
        private final long rowBytes;
        private float[] ordQuery;

        OnSegment(MemorySegmentVectorValues values, int mode, float[] inverseNorms) {
            super(values, mode, inverseNorms);
            this.values = values;
            this.segment = values.segment();
            this.rowBytes = 4L * dim;
        }

        @Override
        public void setQueryOrd(int ord) {
            if (ordQuery == null) {
                ordQuery = new float[dim];
            }
            values.copyTo(ord, ordQuery, 0);
            setQuery(ordQuery, 0, inverseNorm(ord));
        }

        @Override
        public float distance(int ord) {
            long off = ord * rowBytes;
            if (mode == L2) {
                return VectorUtil.squaredDistance(query, queryOffset, segment, off, dim);
            }
            return fromDot(VectorUtil.dot(query, queryOffset, segment, off, dim), ord);
        }

        @Override
        public void distances(int[] ords, int count, float[] out) {
            if (mode == L2) {
                VectorUtil.squaredDistances(query, queryOffset, segment, ords, count, dim, out);
                return;
            }
            VectorUtil.dots(query, queryOffset, segment, ords, count, dim, out);
            for (int i = 0; i < count; i++) {
                out[i] = fromDot(out[i], ords[i]);
            }
        }
    }

    /** Over any other {@link FloatVectorValues}: copies each row to a scratch array first. */
    static final class Copying extends FloatVectorScorer {
        private final FloatVectorValues values;
        private final float[] row;
        private float[] ordQuery;

        Copying(FloatVectorValues values, int mode, float[] inverseNorms) {
            super(values, mode, inverseNorms);
            this.values = values;
            this.row = new float[dim];
        }

        @Override
        public void setQueryOrd(int ord) {
            if (ordQuery == null) {
                ordQuery = new float[dim];
            }
            values.copyTo(ord, ordQuery, 0);
            setQuery(ordQuery, 0, inverseNorm(ord));
        }

        @Override
        public float distance(int ord) {
            values.copyTo(ord, row, 0);
            if (mode == L2) {
                return VectorUtil.squaredDistance(query, queryOffset, row, 0, dim);
            }
            return fromDot(VectorUtil.dot(query, queryOffset, row, 0, dim), ord);
        }
    }
}
