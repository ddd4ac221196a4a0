/**
 * Vector quantization: compact codes for approximate distances, and the exact rerank that every
 * reported distance goes through.
 *
 * <h2>What it owns</h2>
 * <ul>
 *   <li>{@link io.lodestone.quant.VectorQuantizer}, the one interface of the three quantizers:
 *       train ({@link io.lodestone.quant.QuantizerConfig#train}, seeded), encode, code size, query
 *       scorer, reconstruction error, and serialization of the trained parameters.
 *       <ul>
 *         <li>{@link io.lodestone.quant.ScalarQuantizer}: int8 per coordinate, one clipping range
 *             chosen from the sample's quantiles, scored with the SIMD int8 kernels of
 *             {@link io.lodestone.vector.VectorUtil};</li>
 *         <li>{@link io.lodestone.quant.ProductQuantizer}: PQ, k-means per subspace, 1 byte per
 *             subspace, asymmetric distance tables;</li>
 *         <li>{@link io.lodestone.quant.RaBitQuantizer}: RaBitQ, 1 bit per dimension or extended to
 *             2-8, with its unbiased estimator and error bound, popcount scoring.</li>
 *       </ul></li>
 *   <li>Scorers: each quantizer's query scorer is an {@link io.lodestone.index.ApproximateScorer}
 *       (RaBitQ's a {@link io.lodestone.quant.BoundedScorer}, which adds its error bound), the same
 *       scorer family an HNSW walk and a scan run on.</li>
 *   <li>{@link io.lodestone.quant.Reranker}: exact distances from an
 *       {@link io.lodestone.index.ExactScorer} on full-precision vectors pick the final top k, with
 *       RaBitQ's bound-pruned variant. Exact and approximate distances never share a type.</li>
 *   <li>{@link io.lodestone.quant.ResidualQuery}: one query scanning many postings of codes relative to
 *       their own centroids ({@link io.lodestone.quant.RaBitQuantizer#forResiduals}), reusing one
 *       {@code QuantizedQuery} (the query's residual quantized into bit planes, the estimator and
 *       bound) for every posting; 1-bit codes are counted in batches by
 *       {@link io.lodestone.vector.VectorUtil#bitPlaneDots}.</li>
 * </ul>
 *
 * <h2>Metrics</h2>
 * cosine_distance (vectors and queries are normalized inside the quantizer), euclidean_squared and
 * dot_product, as {@link io.lodestone.vector.DistanceMetric} defines them: approximate distances
 * estimate the same quantity, lower is closer.
 *
 * <h2>Codes</h2>
 * A block of codes is contiguous: code {@code i} occupies bytes {@code [i·s, (i+1)·s)} with
 * {@code s = codeSize()}, on the heap ({@code byte[]}) or in a {@link java.lang.foreign.MemorySegment}
 * (an mmapped segment file). Each kind's class comment gives its code layout; bytes per vector
 * ({@code n} = dimension, {@code D} = n rounded up to a multiple of 64):
 * <table>
 *   <caption>Code size in bytes</caption>
 *   <tr><th>kind</th><th>euclidean_squared, cosine_distance</th><th>dot_product</th><th>384-d</th><th>768-d</th></tr>
 *   <tr><td>float32 (for comparison)</td><td>4n</td><td>4n</td><td>1536</td><td>3072</td></tr>
 *   <tr><td>int8</td><td>n (L2), n + 4 (cosine)</td><td>n + 4</td><td>384 / 388</td><td>768 / 772</td></tr>
 *   <tr><td>PQ, M subspaces</td><td>M</td><td>M</td><td>M: 48, 96, 192</td><td>M: 96, 192, 384</td></tr>
 *   <tr><td>RaBitQ 1 bit</td><td>D/8 + 8</td><td>D/8 + 12</td><td>56 / 60</td><td>104 / 108</td></tr>
 *   <tr><td>RaBitQ B bits</td><td>B·D/8 + 12</td><td>B·D/8 + 16</td><td>B=2: 108, B=4: 204</td><td>B=2: 204, B=4: 396</td></tr>
 * </table>
 *
 * <h2>Serialized parameters, format version 1</h2>
 * {@link io.lodestone.quant.VectorQuantizer#write} writes the trained parameters, never the codes;
 * the segment layer frames them (header, footer, CRC32C). All numbers little-endian; {@code f32} is
 * IEEE 754 binary32; {@code str} is a varint byte length then UTF-8.
 * <pre>
 * u8   kind              1 = int8 scalar, 2 = product, 3 = RaBitQ
 * u8   version           1 (readers accept [1, 1])
 * str  metric            wire name: cosine_distance | euclidean_squared | dot_product
 * i32  dimension n       in [1, 65536]
 * kind 1, int8 scalar:
 *   f32  lower           clipping range [lower, lower + 255·step]
 *   f32  step            > 0
 * kind 2, product:
 *   i32  M               subspaces, in [1, n]; subspace s covers [floor(s·n/M), floor((s+1)·n/M))
 *   i32  K               centroids per subspace, in [1, 256]
 *   M ×  f32[K × len_s]  codebook of subspace s, centroid-major
 * kind 3, RaBitQ:
 *   i32  D               padded dimension, n rounded up to a multiple of 64
 *   f32[n] centroid
 *   u8   bits            bits per dimension of the code, in [1, 8]
 *   f32  epsilon0        confidence parameter of the error bound, in (0, 100)
 *   u8   queryBits       in [1, 8]
 *   u8   rotation        1 = dense, 2 = block Hadamard
 *   rotation 1: f32[D × D] row-major orthogonal matrix R (code bits are signs of R·x)
 *   rotation 2: u8 rounds (4), then per round: i32[D] permutation, u64[D/64] sign-flip bits
 * </pre>
 * Nothing may follow. A reader that finds an unknown kind, version, metric, an out-of-range field or
 * trailing bytes throws {@link io.lodestone.codec.CorruptObjectException} naming the field, the
 * offset, and the expected and actual values. History: version 1 is the first.
 *
 * <h2>Dependencies and threads</h2>
 * Depends on {@code io.lodestone.index} (the vector values and scorer contracts only, never
 * {@code index.hnsw}), {@code io.lodestone.vector} (metrics, SIMD kernels) and
 * {@code io.lodestone.codec} (little-endian reader/writer); it must not import the segment, engine or
 * store packages. Quantizers are immutable and thread-safe; scorers belong to one thread.
 */
package io.lodestone.quant;
