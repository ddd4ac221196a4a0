/**
 * Vector maths, the bottom layer of Lodestone: distance metrics, their SIMD and scalar kernels, and
 * the base64 vector encoding.
 *
 * <ul>
 *   <li>{@link io.lodestone.vector.DistanceMetric} defines every metric once (all are distances:
 *       lower is closer) with its wire name and whether ANN indexes support it.</li>
 *   <li>{@link io.lodestone.vector.VectorUtil} is the static façade everyone calls: it checks
 *       dimensions and bounds, then runs the kernels, including the bulk {@code distances} scan that
 *       exact search is built on, and the graph-search kernels of the ANN indexes: rows picked by
 *       ordinal ({@code dots}, {@code squaredDistances}, several rows in flight at once), float ×
 *       int8 dot products for quantized traversal ({@code dotInt8}, {@code dotsInt8}), rows read
 *       from a {@link java.lang.foreign.MemorySegment} (mapped files), and {@code prefetch}. Their
 *       Panama versions live in {@code PanamaIndexKernels}. RaBitQ's kernels: {@code bitPlanes}
 *       (a quantized query transposed into bit planes) and {@code bitPlaneDots} (1-bit codes
 *       against those planes, integer counts, {@code PanamaBitKernels}), and {@code walshHadamard}
 *       (the structured rotation's butterflies, bit for bit the same in every implementation).</li>
 *   <li>{@link io.lodestone.vector.VectorOps} is the kernel interface, with
 *       {@link io.lodestone.vector.ScalarVectorOps} (plain loops, the reference) and
 *       {@code PanamaVectorOps} ({@code jdk.incubator.vector}).
 *       {@link io.lodestone.vector.VectorizationProvider} picks one per JVM, forceable with
 *       {@code -Dlodestone.vectorization=scalar|panama}, and logs why it fell back to scalar if it
 *       did. Only {@code VectorUtil}, tests and benchmarks touch the provider and the kernels.</li>
 *   <li>{@link io.lodestone.vector.VectorCodec} converts vectors to and from base64 little-endian
 *       float32.</li>
 * </ul>
 *
 * <p>Depends on nothing of Lodestone's (and on no library outside the JDK); every other package may
 * depend on it. Invalid input throws {@link java.lang.IllegalArgumentException}, which callers
 * translate into their own errors. Everything here is stateless static code or immutable singletons,
 * hence thread-safe.
 */
package io.lodestone.vector;
