package io.lodestone.quant;

import io.lodestone.index.ApproximateScorer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link ProductQuantizer}'s ADC scorer: a code's distance is {@code Σ_s table[s·256 + code[s]]}.
 * Code bytes are read eight at a time as one little-endian long, which saves seven bounds checks
 * per word; the lookups themselves are scalar (a gather would not beat them at these table sizes).
 */
final class PqScorer implements ApproximateScorer {

    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final float[] table;
    private final MemorySegment codes;
    private final int codeSize;
    private final int count;
    private final int words;

    PqScorer(float[] table, MemorySegment codes, int codeSize) {
        this.table = table;
        this.codes = codes;
        this.codeSize = codeSize;
        this.count = QuantMath.codeCount(codes, codeSize);
        this.words = codeSize / 8;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public float distance(int ordinal) {
        long offset = (long) ordinal * codeSize;
        float[] t = table;
        float sum0 = 0f;
        float sum1 = 0f;
        int s = 0;
        for (int w = 0; w < words; w++, s += 8) {
            long bytes = codes.get(LONG_LE, offset + s);
            int b = s * ProductQuantizer.CLUSTERS;
            // Two chains of additions, so consecutive lookups do not wait on each other.
            sum0 += t[b + (int) (bytes & 0xFF)];
            sum1 += t[b + 256 + (int) ((bytes >>> 8) & 0xFF)];
            sum0 += t[b + 512 + (int) ((bytes >>> 16) & 0xFF)];
            sum1 += t[b + 768 + (int) ((bytes >>> 24) & 0xFF)];
            sum0 += t[b + 1024 + (int) ((bytes >>> 32) & 0xFF)];
            sum1 += t[b + 1280 + (int) ((bytes >>> 40) & 0xFF)];
            sum0 += t[b + 1536 + (int) ((bytes >>> 48) & 0xFF)];
            sum1 += t[b + 1792 + (int) (bytes >>> 56)];
        }
        for (; s < codeSize; s++) {
            sum0 += t[s * ProductQuantizer.CLUSTERS + (codes.get(ValueLayout.JAVA_BYTE, offset + s) & 0xFF)];
        }
        return sum0 + sum1;
    }
}
