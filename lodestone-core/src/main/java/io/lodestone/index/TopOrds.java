package io.lodestone.index;

/**
 * The result of a k-nearest-neighbour search: ordinals and their distances, closest first, of equal
 * length (at most k; fewer when fewer vectors match).
 *
 * @param ords      the ordinals, closest first
 * @param distances {@code distances[i]} is the distance of {@code ords[i]}; ascending
 */
public record TopOrds(int[] ords, float[] distances) {

    /** Checks that both arrays have the same length. */
    public TopOrds {
        if (ords.length != distances.length) {
            throw new IllegalArgumentException("ords and distances differ in length: " + ords.length + " and "
                    + distances.length);
        }
    }

    /** The number of results. */
    public int size() {
        return ords.length;
    }
}
