package io.lodestone.index;

import java.util.Objects;

/**
 * Vectors held row-major in one {@code float[]}: vector {@code ord} is
 * {@code data[ord * dimension, (ord + 1) * dimension)}. One contiguous array keeps rows adjacent in
 * memory and lets the scorers read them without copying. Immutable as long as nobody writes to the
 * array it wraps.
 */
public final class ArrayVectorValues implements FloatVectorValues {

    private final float[] data;
    private final int dimension;
    private final int size;

    private ArrayVectorValues(float[] data, int dimension) {
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be > 0; got " + dimension);
        }
        if (data.length % dimension != 0) {
            throw new IllegalArgumentException("data length " + data.length + " is not a multiple of the dimension "
                    + dimension);
        }
        this.data = data;
        this.dimension = dimension;
        this.size = data.length / dimension;
    }

    /** Wraps (does not copy) {@code data}, whose length must be a multiple of {@code dimension}. */
    public static ArrayVectorValues wrap(float[] data, int dimension) {
        return new ArrayVectorValues(Objects.requireNonNull(data, "data"), dimension);
    }

    /** Copies {@code vectors}, which must all have the same length, into one row-major array. */
    public static ArrayVectorValues copyOf(float[][] vectors) {
        if (vectors.length == 0) {
            throw new IllegalArgumentException("no vectors");
        }
        int dim = vectors[0].length;
        float[] data = new float[Math.multiplyExact(vectors.length, dim)];
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != dim) {
                throw new IllegalArgumentException("vector " + i + " has dimension " + vectors[i].length
                        + "; vector 0 has " + dim);
            }
            System.arraycopy(vectors[i], 0, data, i * dim, dim);
        }
        return new ArrayVectorValues(data, dim);
    }

    /** The wrapped row-major array (not a copy). */
    public float[] data() {
        return data;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void copyTo(int ord, float[] dest, int destOffset) {
        Objects.checkIndex(ord, size);
        System.arraycopy(data, ord * dimension, dest, destOffset, dimension);
    }
}
