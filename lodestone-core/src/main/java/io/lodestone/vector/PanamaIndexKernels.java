package io.lodestone.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.lodestone.vector.PanamaVectorOps.L;
import static io.lodestone.vector.PanamaVectorOps.SPECIES;
import static io.lodestone.vector.PanamaVectorOps.bound4;
import static io.lodestone.vector.PanamaVectorOps.dotKernel;
import static io.lodestone.vector.PanamaVectorOps.squaredKernel;

/**
 * The Vector API kernels that the ANN indexes add to {@link PanamaVectorOps} (which delegates
 * here): float rows read from a {@link MemorySegment} (mapped files), float × int8 dot products
 * for traversal on scalar-quantized codes, and bulk kernels that score one query against rows
 * picked by ordinal while keeping several rows' memory reads in flight. Loaded only through
 * {@code PanamaVectorOps}, so only when the incubator module is present.
 */
final class PanamaIndexKernels {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private PanamaIndexKernels() {
    }

    // ---- vectors in a MemorySegment (little-endian float32) ----

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(SPECIES, a, offset);
    }

    private static FloatVector load(MemorySegment s, long offset) {
        return FloatVector.fromMemorySegment(SPECIES, s, offset, LE);
    }

    static float dot(float[] a, int ao, MemorySegment b, long bo, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= L) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            for (int end = bound4(n); i < end; i += 4 * L) {
                long o = bo + 4L * i;
                acc0 = load(a, ao + i).fma(load(b, o), acc0);
                acc1 = load(a, ao + i + L).fma(load(b, o + 4L * L), acc1);
                acc2 = load(a, ao + i + 2 * L).fma(load(b, o + 8L * L), acc2);
                acc3 = load(a, ao + i + 3 * L).fma(load(b, o + 12L * L), acc3);
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                acc0 = load(a, ao + i).fma(load(b, bo + 4L * i), acc0);
            }
            sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            sum = Math.fma(a[ao + i], b.get(LE_FLOAT, bo + 4L * i), sum);
        }
        return sum;
    }

    static float squaredDistance(float[] a, int ao, MemorySegment b, long bo, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= L) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            for (int end = bound4(n); i < end; i += 4 * L) {
                long o = bo + 4L * i;
                FloatVector d0 = load(a, ao + i).sub(load(b, o));
                FloatVector d1 = load(a, ao + i + L).sub(load(b, o + 4L * L));
                FloatVector d2 = load(a, ao + i + 2 * L).sub(load(b, o + 8L * L));
                FloatVector d3 = load(a, ao + i + 3 * L).sub(load(b, o + 12L * L));
                acc0 = d0.fma(d0, acc0);
                acc1 = d1.fma(d1, acc1);
                acc2 = d2.fma(d2, acc2);
                acc3 = d3.fma(d3, acc3);
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                FloatVector d = load(a, ao + i).sub(load(b, bo + 4L * i));
                acc0 = d.fma(d, acc0);
            }
            sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            float d = a[ao + i] - b.get(LE_FLOAT, bo + 4L * i);
            sum = Math.fma(d, d, sum);
        }
        return sum;
    }

    // ---- float query × signed int8 codes ----

    /**
     * Bytes loaded per float vector: as many bytes as float lanes (128 bits for AVX-512, 64 for
     * AVX2). Null below 64 bits (128-bit floats), where the int8 kernels run the scalar loop.
     */
    private static final VectorSpecies<Byte> BYTE_SPECIES =
            L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;

    private static FloatVector loadCodes(byte[] c, int offset) {
        return (FloatVector) ByteVector.fromArray(BYTE_SPECIES, c, offset).convertShape(VectorOperators.B2F, SPECIES, 0);
    }

    private static FloatVector loadCodes(MemorySegment c, long offset) {
        return (FloatVector) ByteVector.fromMemorySegment(BYTE_SPECIES, c, offset, LE)
                .convertShape(VectorOperators.B2F, SPECIES, 0);
    }

    static float dotInt8(float[] q, int qo, byte[] c, int co, int n) {
        int i = 0;
        float sum = 0f;
        if (n >= L && BYTE_SPECIES != null) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            for (int end = bound4(n); i < end; i += 4 * L) {
                acc0 = loadCodes(c, co + i).fma(load(q, qo + i), acc0);
                acc1 = loadCodes(c, co + i + L).fma(load(q, qo + i + L), acc1);
                acc2 = loadCodes(c, co + i + 2 * L).fma(load(q, qo + i + 2 * L), acc2);
                acc3 = loadCodes(c, co + i + 3 * L).fma(load(q, qo + i + 3 * L), acc3);
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                acc0 = loadCodes(c, co + i).fma(load(q, qo + i), acc0);
            }
            sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            sum = Math.fma(q[qo + i], c[co + i], sum);
        }
        return sum;
    }

    static float dotInt8(float[] q, int qo, MemorySegment c, long co, int n) {
        // A slice per call: offsets from 0 within a row let C2 drop the per-load bounds checks.
        MemorySegment row = c.asSlice(co, n);
        int i = 0;
        float sum = 0f;
        if (n >= L && BYTE_SPECIES != null) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            for (int end = bound4(n); i < end; i += 4 * L) {
                acc0 = loadCodes(row, i).fma(load(q, qo + i), acc0);
                acc1 = loadCodes(row, i + L).fma(load(q, qo + i + L), acc1);
                acc2 = loadCodes(row, i + 2 * L).fma(load(q, qo + i + 2 * L), acc2);
                acc3 = loadCodes(row, i + 3 * L).fma(load(q, qo + i + 3 * L), acc3);
            }
            for (int end = SPECIES.loopBound(n); i < end; i += L) {
                acc0 = loadCodes(row, i).fma(load(q, qo + i), acc0);
            }
            sum = acc0.add(acc1).add(acc2.add(acc3)).reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            sum = Math.fma(q[qo + i], row.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i), sum);
        }
        return sum;
    }

    // ---- bulk kernels for graph search ----

    static void dots(float[] q, int qo, float[] data, int[] ords, int count, int dim, float[] out) {
        // Eight rows in lockstep: each step loads the query lanes once and one vector from each
        // row, so eight rows' cache misses are outstanding together (8 beat 4 by about 10% in
        // graph search on 384-d rows).
        int r = 0;
        for (; r + 8 <= count; r += 8) {
            dots8(q, qo, data, ords, r, dim, out);
        }
        if (r + 4 <= count) {
            dots4(q, qo, data, ords, r, dim, out);
            r += 4;
        }
        for (; r < count; r++) {
            out[r] = dotKernel(q, qo, data, ords[r] * dim, dim);
        }
    }

    private static void dots4(float[] q, int qo, float[] data, int[] ords, int r, int dim, float[] out) {
        int o0 = ords[r] * dim;
        int o1 = ords[r + 1] * dim;
        int o2 = ords[r + 2] * dim;
        int o3 = ords[r + 3] * dim;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int end = SPECIES.loopBound(dim); i < end; i += L) {
            FloatVector qv = load(q, qo + i);
            a0 = load(data, o0 + i).fma(qv, a0);
            a1 = load(data, o1 + i).fma(qv, a1);
            a2 = load(data, o2 + i).fma(qv, a2);
            a3 = load(data, o3 + i).fma(qv, a3);
        }
        out[r] = a0.reduceLanes(VectorOperators.ADD);
        out[r + 1] = a1.reduceLanes(VectorOperators.ADD);
        out[r + 2] = a2.reduceLanes(VectorOperators.ADD);
        out[r + 3] = a3.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qo + i];
            for (int k = 0; k < 4; k++) {
                out[r + k] = Math.fma(x, data[ords[r + k] * dim + i], out[r + k]);
            }
        }
    }

    private static void dots8(float[] q, int qo, float[] data, int[] ords, int r, int dim, float[] out) {
        int o0 = ords[r] * dim;
        int o1 = ords[r + 1] * dim;
        int o2 = ords[r + 2] * dim;
        int o3 = ords[r + 3] * dim;
        int o4 = ords[r + 4] * dim;
        int o5 = ords[r + 5] * dim;
        int o6 = ords[r + 6] * dim;
        int o7 = ords[r + 7] * dim;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        int i = 0;
        for (int end = SPECIES.loopBound(dim); i < end; i += L) {
            FloatVector qv = load(q, qo + i);
            a0 = load(data, o0 + i).fma(qv, a0);
            a1 = load(data, o1 + i).fma(qv, a1);
            a2 = load(data, o2 + i).fma(qv, a2);
            a3 = load(data, o3 + i).fma(qv, a3);
            a4 = load(data, o4 + i).fma(qv, a4);
            a5 = load(data, o5 + i).fma(qv, a5);
            a6 = load(data, o6 + i).fma(qv, a6);
            a7 = load(data, o7 + i).fma(qv, a7);
        }
        out[r] = a0.reduceLanes(VectorOperators.ADD);
        out[r + 1] = a1.reduceLanes(VectorOperators.ADD);
        out[r + 2] = a2.reduceLanes(VectorOperators.ADD);
        out[r + 3] = a3.reduceLanes(VectorOperators.ADD);
        out[r + 4] = a4.reduceLanes(VectorOperators.ADD);
        out[r + 5] = a5.reduceLanes(VectorOperators.ADD);
        out[r + 6] = a6.reduceLanes(VectorOperators.ADD);
        out[r + 7] = a7.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qo + i];
            for (int k = 0; k < 8; k++) {
                out[r + k] = Math.fma(x, data[ords[r + k] * dim + i], out[r + k]);
            }
        }
    }

    static void squaredDistances(float[] q, int qo, float[] data, int[] ords, int count, int dim, float[] out) {
        int r = 0;
        int vecEnd = SPECIES.loopBound(dim);
        for (; r + 4 <= count; r += 4) {
            int o0 = ords[r] * dim;
            int o1 = ords[r + 1] * dim;
            int o2 = ords[r + 2] * dim;
            int o3 = ords[r + 3] * dim;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int i = 0;
            for (; i < vecEnd; i += L) {
                FloatVector qv = load(q, qo + i);
                FloatVector d0 = qv.sub(load(data, o0 + i));
                FloatVector d1 = qv.sub(load(data, o1 + i));
                FloatVector d2 = qv.sub(load(data, o2 + i));
                FloatVector d3 = qv.sub(load(data, o3 + i));
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD);
            float s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD);
            float s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; i < dim; i++) {
                float x = q[qo + i];
                float d0 = x - data[o0 + i];
                float d1 = x - data[o1 + i];
                float d2 = x - data[o2 + i];
                float d3 = x - data[o3 + i];
                s0 = Math.fma(d0, d0, s0);
                s1 = Math.fma(d1, d1, s1);
                s2 = Math.fma(d2, d2, s2);
                s3 = Math.fma(d3, d3, s3);
            }
            out[r] = s0;
            out[r + 1] = s1;
            out[r + 2] = s2;
            out[r + 3] = s3;
        }
        for (; r < count; r++) {
            out[r] = squaredKernel(q, qo, data, ords[r] * dim, dim);
        }
    }

    /** Cache line size assumed by the touch pass of {@link #dotsInt8}. */
    private static final int LINE = 64;

    /** Keeps the touch loads of {@link #dotsInt8} from being optimized away. */
    @SuppressWarnings("unused")
    private static volatile int touchSink;

    static void dotsInt8(float[] q, int qo, byte[] codes, int[] ords, int count, int dim, float[] out) {
        // Touch every cache line of every row first: these loads are independent, so the misses of
        // all rows are outstanding together (a software prefetch, which Java lacks). Then the
        // kernels find the rows in cache. Worth about 30% in graph search on rows of a few lines;
        // for float rows (4x the lines) it overflows the miss buffers, hence dots() above instead.
        int touched = 0;
        for (int r = 0; r < count; r++) {
            int o = ords[r] * dim;
            for (int j = 0; j < dim; j += LINE) {
                touched += codes[o + j];
            }
            touched += codes[o + dim - 1];
        }
        if (touched == Integer.MIN_VALUE) {
            touchSink = touched;
        }
        for (int r = 0; r < count; r++) {
            out[r] = dotInt8(q, qo, codes, ords[r] * dim, dim);
        }
    }

    static void dots(float[] q, int qo, MemorySegment data, int[] ords, int count, int dim, float[] out) {
        int r = 0;
        int vecEnd = SPECIES.loopBound(dim);
        long rowBytes = 4L * dim;
        for (; r + 4 <= count; r += 4) {
            // Slices with offsets from 0 let C2 hoist the bounds checks out of the loop.
            MemorySegment s0 = data.asSlice(ords[r] * rowBytes, rowBytes);
            MemorySegment s1 = data.asSlice(ords[r + 1] * rowBytes, rowBytes);
            MemorySegment s2 = data.asSlice(ords[r + 2] * rowBytes, rowBytes);
            MemorySegment s3 = data.asSlice(ords[r + 3] * rowBytes, rowBytes);
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int i = 0;
            for (; i < vecEnd; i += L) {
                FloatVector qv = load(q, qo + i);
                long o = 4L * i;
                a0 = load(s0, o).fma(qv, a0);
                a1 = load(s1, o).fma(qv, a1);
                a2 = load(s2, o).fma(qv, a2);
                a3 = load(s3, o).fma(qv, a3);
            }
            float t0 = a0.reduceLanes(VectorOperators.ADD);
            float t1 = a1.reduceLanes(VectorOperators.ADD);
            float t2 = a2.reduceLanes(VectorOperators.ADD);
            float t3 = a3.reduceLanes(VectorOperators.ADD);
            for (; i < dim; i++) {
                float x = q[qo + i];
                long o = 4L * i;
                t0 = Math.fma(x, s0.get(LE_FLOAT, o), t0);
                t1 = Math.fma(x, s1.get(LE_FLOAT, o), t1);
                t2 = Math.fma(x, s2.get(LE_FLOAT, o), t2);
                t3 = Math.fma(x, s3.get(LE_FLOAT, o), t3);
            }
            out[r] = t0;
            out[r + 1] = t1;
            out[r + 2] = t2;
            out[r + 3] = t3;
        }
        for (; r < count; r++) {
            out[r] = dot(q, qo, data, ords[r] * rowBytes, dim);
        }
    }

    static void squaredDistances(float[] q, int qo, MemorySegment data, int[] ords, int count, int dim,
                                 float[] out) {
        int r = 0;
        int vecEnd = SPECIES.loopBound(dim);
        long rowBytes = 4L * dim;
        for (; r + 4 <= count; r += 4) {
            MemorySegment s0 = data.asSlice(ords[r] * rowBytes, rowBytes);
            MemorySegment s1 = data.asSlice(ords[r + 1] * rowBytes, rowBytes);
            MemorySegment s2 = data.asSlice(ords[r + 2] * rowBytes, rowBytes);
            MemorySegment s3 = data.asSlice(ords[r + 3] * rowBytes, rowBytes);
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            int i = 0;
            for (; i < vecEnd; i += L) {
                FloatVector qv = load(q, qo + i);
                long o = 4L * i;
                FloatVector d0 = qv.sub(load(s0, o));
                FloatVector d1 = qv.sub(load(s1, o));
                FloatVector d2 = qv.sub(load(s2, o));
                FloatVector d3 = qv.sub(load(s3, o));
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
            float t0 = a0.reduceLanes(VectorOperators.ADD);
            float t1 = a1.reduceLanes(VectorOperators.ADD);
            float t2 = a2.reduceLanes(VectorOperators.ADD);
            float t3 = a3.reduceLanes(VectorOperators.ADD);
            for (; i < dim; i++) {
                float x = q[qo + i];
                long o = 4L * i;
                float d0 = x - s0.get(LE_FLOAT, o);
                float d1 = x - s1.get(LE_FLOAT, o);
                float d2 = x - s2.get(LE_FLOAT, o);
                float d3 = x - s3.get(LE_FLOAT, o);
                t0 = Math.fma(d0, d0, t0);
                t1 = Math.fma(d1, d1, t1);
                t2 = Math.fma(d2, d2, t2);
                t3 = Math.fma(d3, d3, t3);
            }
            out[r] = t0;
            out[r + 1] = t1;
            out[r + 2] = t2;
            out[r + 3] = t3;
        }
        for (; r < count; r++) {
            out[r] = squaredDistance(q, qo, data, ords[r] * rowBytes, dim);
        }
    }
}
