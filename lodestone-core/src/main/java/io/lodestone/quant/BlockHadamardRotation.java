package io.lodestone.quant;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import io.lodestone.vector.VectorUtil;

import java.util.Random;

/**
 * A fast structured random rotation for any multiple of 64 coordinates: {@value #ROUNDS} rounds, each
 * flipping the sign of random coordinates, permuting all coordinates at random, and applying the
 * normalized Walsh-Hadamard transform to consecutive blocks of {@code b} coordinates, {@code b} the
 * largest power of two dividing the dimension (at least 64). Every step is orthogonal, so the product
 * is; the permutations spread each block over the whole vector, so after the rounds every output
 * coordinate mixes up to {@code b⁴} inputs. {@code O(n log b)} per apply and {@code O(n)} storage,
 * against {@code n²} for {@link DenseRotation}.
 */
final class BlockHadamardRotation implements Rotation {

    static final int ROUNDS = 4;

    private final int n;
    private final int block;
    /** {@code perm[r][i]}: the input coordinate that lands at position {@code i} in round {@code r}. */
    private final int[][] perm;
    /** {@code negate[r]}: bit {@code i} set means coordinate {@code i} flips sign in round {@code r}. */
    private final long[][] negate;
    private final float scale;

    private BlockHadamardRotation(int n, int block, int[][] perm, long[][] negate) {
        this.n = n;
        this.block = block;
        this.perm = perm;
        this.negate = negate;
        this.scale = (float) (1 / Math.sqrt(block));
    }

    static BlockHadamardRotation random(int n, Random random) {
        int[][] perm = new int[ROUNDS][];
        long[][] negate = new long[ROUNDS][n / 64];
        for (int r = 0; r < ROUNDS; r++) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            perm[r] = p;
            for (int w = 0; w < negate[r].length; w++) {
                negate[r][w] = random.nextLong();
            }
        }
        return new BlockHadamardRotation(n, Integer.lowestOneBit(n), perm, negate);
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public void apply(float[] x, float[] out) {
        float[] cur = x.clone();
        for (int r = 0; r < ROUNDS; r++) {
            flipSigns(cur, negate[r]);
            int[] p = perm[r];
            for (int i = 0; i < n; i++) {
                out[i] = cur[p[i]];
            }
            hadamardBlocks(out);
            System.arraycopy(out, 0, cur, 0, n);
        }
    }

    @Override
    public void applyInverse(float[] y, float[] out) {
        float[] cur = y.clone();
        for (int r = ROUNDS - 1; r >= 0; r--) {
            hadamardBlocks(cur);
            int[] p = perm[r];
            for (int i = 0; i < n; i++) {
                out[p[i]] = cur[i];
            }
            flipSigns(out, negate[r]);
            System.arraycopy(out, 0, cur, 0, n);
        }
    }

    /** Negates {@code v[i]} where bit {@code i} of {@code bits} is set: the sign bit flipped, without a branch. */
    private static void flipSigns(float[] v, long[] bits) {
        for (int i = 0; i < v.length; i++) {
            int sign = (int) (bits[i >>> 6] >>> i & 1L) << 31;
            v[i] = Float.intBitsToFloat(Float.floatToRawIntBits(v[i]) ^ sign);
        }
    }

    /** The normalized Walsh-Hadamard transform of each block, in place (its own inverse). */
    private void hadamardBlocks(float[] v) {
        for (int start = 0; start < n; start += block) {
            VectorUtil.walshHadamard(v, start, block);
        }
        for (int i = 0; i < n; i++) {
            v[i] *= scale;
        }
    }

    @Override
    public int code() {
        return BLOCK_HADAMARD;
    }

    @Override
    public void writeBody(BytesWriter w) {
        w.writeByte(ROUNDS);
        for (int r = 0; r < ROUNDS; r++) {
            for (int i : perm[r]) {
                w.writeInt(i);
            }
            for (long bits : negate[r]) {
                w.writeLong(bits);
            }
        }
    }

    static BlockHadamardRotation readBody(BytesReader r, int n) {
        int rounds = r.readByte();
        QuantizerFormat.check(r, rounds == ROUNDS, "rotation rounds", String.valueOf(ROUNDS), rounds);
        int[][] perm = new int[ROUNDS][n];
        long[][] negate = new long[ROUNDS][n / 64];
        for (int round = 0; round < ROUNDS; round++) {
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                int p = r.readInt();
                QuantizerFormat.check(r, p >= 0 && p < n && !seen[p], "permutation entry",
                        "a coordinate in [0, " + n + ") not used before", p);
                seen[p] = true;
                perm[round][i] = p;
            }
            for (int w = 0; w < negate[round].length; w++) {
                negate[round][w] = r.readLong();
            }
        }
        return new BlockHadamardRotation(n, Integer.lowestOneBit(n), perm, negate);
    }
}
