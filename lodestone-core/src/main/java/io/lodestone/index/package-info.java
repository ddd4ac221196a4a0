/**
 * What every vector index shares: how vectors are read and how they are compared.
 *
 * <ul>
 *   <li>{@link io.lodestone.index.FloatVectorValues}: vectors by ordinal, from a heap array
 *       ({@link io.lodestone.index.ArrayVectorValues}) or a memory segment such as a mapped
 *       segment file ({@link io.lodestone.index.MemorySegmentVectorValues}, little-endian float32,
 *       row-major).</li>
 *   <li>{@link io.lodestone.index.RandomVectorScorer}: distances from one query to ordinals, lower
 *       is closer, the one scorer family of every index and rerank. It is sealed into
 *       {@link io.lodestone.index.ExactScorer} (full precision, from
 *       {@link io.lodestone.index.FloatVectorScorerSupplier}: the distances a rerank computes) and
 *       {@link io.lodestone.index.ApproximateScorer} (codes, from the {@code quant} layer's
 *       quantizers: int8, PQ, RaBitQ), so exactness is part of the type; a graph walk runs on either.
 *       {@link io.lodestone.index.UpdateableRandomVectorScorer} and
 *       {@link io.lodestone.index.RandomVectorScorerSupplier} score ordinals against ordinals while
 *       building (exact on floats, or approximate on codes with {@code quant.Int8Vectors}).</li>
 *   <li>{@link io.lodestone.index.AcceptOrds} restricts results (filters, deletes);
 *       {@link io.lodestone.index.TopOrds} carries them.</li>
 * </ul>
 *
 * <p>Cosine: scorers compute it as one dot product with the query normalized, and need nothing
 * else when the stored vectors are unit vectors (segment writers should store them normalized);
 * otherwise {@link io.lodestone.index.FloatVectorScorerSupplier} keeps inverse norms.
 *
 * <p>Depends only on {@code io.lodestone.vector}; {@code quant} and {@code index.hnsw} depend on it. Values and suppliers are thread-safe; scorers
 * belong to one thread each. Sub-packages hold the index structures ({@code hnsw}).
 */
package io.lodestone.index;
