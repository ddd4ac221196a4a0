/**
 * A clustered approximate nearest-neighbour index for data read from object storage (SPANN, NeurIPS
 * 2021, with RaBitQ codes, SIGMOD 2024): a few small centroids stay in memory, and a query reads the
 * postings of its nearest clusters in one batch of ranged reads instead of walking a graph hop by hop.
 *
 * <ul>
 *   <li>{@link io.lodestone.index.clustered.ClusteredIndexWriter} builds and writes the body;
 *       {@link io.lodestone.index.clustered.ClusteredParams} are its parameters.</li>
 *   <li>{@code BalancedClustering}: hierarchical balanced k-means on a rotated sample, every cluster
 *       capped at 1.5 × the target size.</li>
 *   <li>{@code ClosureAssigner}: SPANN's closure assignment of a row to up to {@code maxReplicas}
 *       postings with the RNG rule; {@code CentroidSearcher}: nearest centroids by a scan (at most
 *       1,024 of them) or a small HNSW ({@code index.hnsw}); a query's scan reads int8 copies of the
 *       centroids first ({@code Int8Centroids}, with a bound that holds) and exact distances only for
 *       the centroids that could be among the nearest, so it finds what an exact scan finds.</li>
 *   <li>{@link io.lodestone.index.clustered.ClusteredIndex}: open, probe (with query-aware pruning),
 *       ensure, search (postings nearest first, batched RaBitQ scoring with
 *       {@link io.lodestone.quant.ResidualQuery} and the SIMD bit-plane kernel of
 *       {@link io.lodestone.vector.VectorUtil#bitPlaneDots}, replica merge, bound-chosen exact rerank);
 *       {@code Candidates} holds the scored rows of one search, behind a running threshold (the k-th
 *       smallest upper bound of the distinct rows so far) that keeps most of them out.</li>
 *   <li>{@link io.lodestone.index.clustered.RangeEnsurer}: how the reader makes body ranges present.</li>
 * </ul>
 *
 * <h2>Geometry</h2>
 * All clustering, assignment and probing happens after RaBitQ's random rotation {@code R} (one per
 * file, {@code quant.RaBitQuantizer#forResiduals}), on vectors prepared for the metric (unit length
 * for cosine), by squared Euclidean distance, which the rotation preserves. The stored centroids are
 * the rotated ones, {@code R·c}: encoding a row {@code v} for cluster {@code c} needs {@code R·(v - c)
 * = R·v - R·c}, and scoring needs {@code R·(q - c) = R·q - R·c}, so each row and each query is rotated
 * once, however many postings it touches. Codes estimate the index's metric (cosine_distance,
 * euclidean_squared or dot_product) from the residual to the posting's own centroid; for dot_product
 * the clusters are still probed by Euclidean distance, which suits data whose norms vary little.
 * {@code closureEpsilon} and {@code pruneEpsilon} are factors on squared distances.
 *
 * <h2>Defaults and how they were chosen</h2>
 * Measured on debian-minilm (60,486 × 384, cosine; 300 queries, recall@10 and codes scanned per
 * query, 2026-12-07; {@code docs/benchmarks-ann.md} has the end-to-end numbers):
 * <ul>
 *   <li>The RNG rule as written (factor 1) gave 1.01 postings per row, so closure replication did
 *       nothing; with {@code ClosureAssigner.RNG_FACTOR} 0.5 and {@code closureEpsilon} 0.5 a row is
 *       in 1.55 postings and recall per code scanned was the best of the settings tried
 *       (at nprobe 32: 0.9587 with 4,830 codes; RNG factor 1: 0.9150 with 3,043 codes and 0.9493 at
 *       nprobe 64 with 5,703; factor 0, epsilon 0.3: 0.9657 with 11,870).</li>
 *   <li>{@code pruneEpsilon} 0.5 ({@link io.lodestone.index.clustered.ClusteredIndex#DEFAULT_PRUNE_EPSILON}):
 *       0.9503 at nprobe 32 with 3,543 codes, against 0.9447 with 3,676 for 1.0 at nprobe 24; 0.2
 *       stalls near 0.86 whatever nprobe.</li>
 *   <li>2-bit codes. Read from memory, 1 bit was as good (the bound-chosen rerank set is tens of rows;
 *       debian-minilm at 24/33/48 probes: 5,378/4,638/3,608 QPS with 1 bit, 5,124/4,063/3,754 with 2, the
 *       same recall). Read from object storage, each reranked row is a ranged read: on 200K × 768
 *       (Gaussian blobs, 60 probes) a cold first answer reranked 102 rows with 1 bit, 28 with 2 and 13
 *       with 4, at the same recall@10 (0.952); 2 bits cost 23% more build time (4 bits: 2.5×) and
 *       double the postings (840 bytes a row at 768 dimensions, against 3 KB of the row's vector).
 *       docs/benchmarks.md, "Cold queries over S3". The structured (Hadamard) rotation instead of the
 *       dense one: same recall, and a 384-d query rotated in a fraction of the time.</li>
 *   <li>nprobe has no default in the index; recall@10 0.95 on debian-minilm takes about 32.</li>
 * </ul>
 *
 * <h2>Body layout, version 2</h2>
 * Little-endian. Offsets are relative to the start of the body (where the writer began writing in
 * its {@link io.lodestone.codec.FrameOutput}); the frame adds the header, the per-block CRC32C table
 * and its trailer. {@code D} is the dimension rounded up to a multiple of 64, {@code s} the code size.
 * Postings come first and metadata last, so the file's tail holds everything {@code open} needs.
 * <pre>
 * postings        for each cluster c = 0 .. K-1, starting on a 64-byte boundary of the file:
 *   i32[count_c]      ordinals, ascending
 *   u8[count_c][s]    RaBitQ codes of the rows' residuals to centroid c, same order
 *                     (layout of quant.RaBitQuantizer: bit planes, then the float factors)
 * centroids       (64-byte aligned) f32[K] scales s_c, then i8[K][D] codes b_c: the rotated centroids are
 *                 R·c = s_c · b_c (float products), exactly the centroids rows were assigned and encoded against
 *                 (the writer rounds the trained centroids first), so a reader computes them bit for bit; a quarter
 *                 of the bytes a cold open reads (1M × 768: 6 MB, not 24)
 * graph           index.hnsw layout (HnswGraphWriter) over the rotated centroids, squared
 *                 Euclidean; present exactly when K > 1,024, else 0 bytes
 * directory       K × (i64 posting offset, i32 count): postings in cluster order, disjoint, before
 *                 the centroids
 * quantizer       quant.VectorQuantizer#write of the RaBitQ parameters (kind 3: metric, dimension,
 *                 zero centroid, bits, ε0, query bits, rotation)
 * trailer         100 bytes, the last of the body:
 *   i32 magic       0x58494C43 ("CLIX")
 *   i32 version     2 (readers accept [1, 2])
 *   i32 size        rows n
 *   i32 dims        in [1, 65536]
 *   i32 metric      1 cosine_distance, 2 euclidean_squared, 3 dot_product
 *   i32 K           clusters, in [1, n] (0 when n = 0)
 *   i32 s           code size
 *   i64 centroids offset, i64 graph offset, i64 graph length, i64 directory offset,
 *   i64 quantizer offset, i64 quantizer length
 *   i32 targetPostingSize, i32 maxReplicas, f32 closureEpsilon, i32 codeBits, i64 seed
 * </pre>
 * The sections after the postings are contiguous in that order and end at the trailer.
 * {@link io.lodestone.index.clustered.ClusteredIndex#open} checks every offset, length and count
 * against the others and the body size (and ordinals when it reads them), throwing
 * {@link io.lodestone.codec.CorruptObjectException} naming the field. History: version 1 stored the
 * centroids as {@code f32[K][D]} (still read); version 2 stores them as int8 codes with a scale each.
 *
 * <h2>Reproducibility</h2>
 * The same vectors, metric and parameters give the same bytes whatever the thread count: every
 * random choice is seeded, each row's assignment and codes depend on that row alone, and clustering,
 * assignment scans and encoding use plain loops (no SIMD lane reductions, whose rounding may change
 * once the JIT compiles them). Above 1,024 clusters the centroid graph is built and searched with
 * the SIMD kernels, so a distance tie may then resolve differently between runs.
 *
 * <h2>Dependencies and threads</h2>
 * Depends on {@code io.lodestone.index}, {@code index.hnsw}, {@code quant}, {@code vector} and
 * {@code codec}; never on the engine, segment, store or cache packages. A
 * {@link io.lodestone.index.clustered.ClusteredIndex} is immutable and thread-safe.
 */
package io.lodestone.index.clustered;
