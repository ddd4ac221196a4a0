/**
 * What every vector index shares: how vectors are read and how they are compared.
 *
 * <ul>
 *   <li>{@link io.lodestone.index.FloatVectorValues}: vectors by ordinal, from a heap array
 *       ({@link io.lodestone.index.ArrayVectorValues}) or a memory segment such as a mapped
 *       segment file ({@link io.lodestone.index.MemorySegmentVectorValues}, little-endian float32,
 *       row-major).</li>
 *   <li>{@link io.lodestone.index.RandomVectorScorer}: distances from one query to ordinals, lower
 *       is closer; {@link io.lodestone.index.UpdateableRandomVectorScorer} and
 *       {@link io.lodestone.index.RandomVectorScorerSupplier} score ordinals against ordinals while
 *       building. Exact scorers come from {@link io.lodestone.index.FloatVectorScorerSupplier};
 *       approximate ones (for traversal, to be reranked) from
 *       {@link io.lodestone.index.ScalarQuantizedVectors} or the {@code quant} layer.</li>
 *   <li>{@link io.lodestone.index.AcceptOrds} restricts results (filters, deletes);
 *       {@link io.lodestone.index.TopOrds} carries them.</li>
 * </ul>
 *
 * <p>Cosine: scorers compute it as one dot product with the query normalized, and need nothing
 * else when the stored vectors are unit vectors (segment writers should store them normalized);
 * otherwise {@link io.lodestone.index.FloatVectorScorerSupplier} keeps inverse norms.
 *
 * <p>Depends only on {@code io.lodestone.vector}. Values and suppliers are thread-safe; scorers
 * belong to one thread each. Sub-packages hold the index structures ({@code hnsw}).
 */
package io.lodestone.index;
