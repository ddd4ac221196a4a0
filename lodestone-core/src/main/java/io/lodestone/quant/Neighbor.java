package io.lodestone.quant;

/**
 * A search result: a vector's ordinal and its distance to the query (lower is closer). From
 * {@link Reranker} the distance is exact.
 *
 * @param ordinal  the vector's position in its block
 * @param distance the distance under the block's metric
 */
public record Neighbor(int ordinal, float distance) implements Comparable<Neighbor> {

    /** By distance, then by ordinal: a total order, so results are deterministic. */
    @Override
    public int compareTo(Neighbor other) {
        int c = Float.compare(distance, other.distance);
        return c != 0 ? c : Integer.compare(ordinal, other.ordinal);
    }
}
