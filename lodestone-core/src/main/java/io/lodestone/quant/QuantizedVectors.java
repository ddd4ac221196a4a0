package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;
import io.lodestone.index.FloatVectorValues;
import io.lodestone.index.RandomVectorScorerSupplier;
import io.lodestone.index.UpdateableRandomVectorScorer;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.Random;

/**
 * The codes of a set of vectors under one trained quantizer, beside the float vectors they were made
 * from: what a graph builder walks on while it inserts (the query is a stored vector, read in full
 * precision, so the codes' own error is the only one). Scorers on the codes are
 * {@link ApproximateScorer}s, to be reranked or followed by a choice on exact distances.
 *
 * <p>Immutable and thread-safe; the scorers belong to one thread.
 *
 * @param quantizer the quantizer the codes were made with
 * @param codes     code {@code i} at byte {@code i · quantizer.codeSize()}, one per vector of {@code values}
 * @param values    the float vectors, read for each new query ordinal
 */
public record QuantizedVectors(VectorQuantizer quantizer, MemorySegment codes, FloatVectorValues values)
        implements RandomVectorScorerSupplier {

    /** Checks that there is one code per vector and the dimensions agree. */
    public QuantizedVectors {
        checkDimensions(quantizer, values);
        if (codes.byteSize() != (long) values.size() * quantizer.codeSize()) {
            throw new IllegalArgumentException(codes.byteSize() + " bytes of codes for " + values.size() + " vectors of "
                    + quantizer.codeSize() + "-byte codes");
        }
    }

    /**
     * Up to {@code size} vectors of {@code values} to train a quantizer on: all of them when there are
     * no more, else {@code size} drawn with replacement by a {@code Random(seed)}.
     */
    public static float[][] sample(FloatVectorValues values, int size, long seed) {
        int n = Math.min(size, values.size());
        float[][] out = new float[n][];
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            out[i] = values.vector(n == values.size() ? i : random.nextInt(values.size()));
        }
        return out;
    }

    /**
     * Encodes every vector of {@code values} with {@code quantizer} into one heap block.
     *
     * @throws IllegalArgumentException if the block would exceed 2 GiB
     */
    public static QuantizedVectors encode(VectorQuantizer quantizer, FloatVectorValues values) {
        checkDimensions(quantizer, values);
        long size = (long) values.size() * quantizer.codeSize();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("codes of " + values.size() + " vectors need " + size
                    + " bytes, more than a byte[] holds");
        }
        // A heap block: the search loop reads it faster than a native segment.
        MemorySegment codes = MemorySegment.ofArray(new byte[(int) size]);
        float[] row = new float[values.dimension()];
        for (int ord = 0; ord < values.size(); ord++) {
            values.copyTo(ord, row, 0);
            quantizer.encode(row, codes, (long) ord * quantizer.codeSize());
        }
        return new QuantizedVectors(quantizer, codes, values);
    }

    private static void checkDimensions(VectorQuantizer quantizer, FloatVectorValues values) {
        Objects.requireNonNull(quantizer, "quantizer");
        if (values.dimension() != quantizer.dimension()) {
            throw new IllegalArgumentException("vector dimensions differ: values have " + values.dimension()
                    + ", quantizer has " + quantizer.dimension());
        }
    }

    /** An approximate scorer of {@code query} against the codes. */
    public ApproximateScorer scorer(float[] query) {
        return quantizer.scorer(query, codes);
    }

    @Override
    public UpdateableRandomVectorScorer scorer() {
        return new OrdScorer();
    }

    @Override
    public int size() {
        return values.size();
    }

    /** A scorer whose query is a stored vector; {@code setQueryOrd} prepares the quantizer's query once. */
    private final class OrdScorer implements UpdateableRandomVectorScorer, ApproximateScorer {
        private final float[] query = new float[values.dimension()];
        private ApproximateScorer scorer;

        @Override
        public void setQueryOrd(int ord) {
            values.copyTo(ord, query, 0);
            scorer = quantizer.scorer(query, codes);
        }

        @Override
        public float distance(int ord) {
            return scorer.distance(ord);
        }

        @Override
        public void distances(int[] ords, int count, float[] out) {
            scorer.distances(ords, count, out);
        }

        @Override
        public int size() {
            return values.size();
        }
    }
}
