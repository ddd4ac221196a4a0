package io.lodestone.vector;

/** TEMPORARY scalar stand-in until the vector package lands. */
public final class VectorUtil {
    private VectorUtil() {
    }

    public static float norm(float[] a) {
        double s = 0;
        for (float x : a) s += (double) x * x;
        return (float) Math.sqrt(s);
    }

    public static void distances(DistanceMetric m, float[] q, float[] data, int off, int count, int dim, float[] out) {
        for (int i = 0; i < count; i++) {
            int base = off + i * dim;
            float s = 0;
            for (int j = 0; j < dim; j++) {
                float x = q[j], y = data[base + j];
                s += m == DistanceMetric.EUCLIDEAN_SQUARED ? (x - y) * (x - y) : x * y;
            }
            out[i] = m == DistanceMetric.EUCLIDEAN_SQUARED ? s : -s;
        }
    }

    public static void cosineDistances(float[] q, float qn, float[] data, int off, int count, int dim, float[] norms,
                                       int normOff, float[] out) {
        for (int i = 0; i < count; i++) {
            int base = off + i * dim;
            float s = 0;
            for (int j = 0; j < dim; j++) s += q[j] * data[base + j];
            out[i] = 1 - s / (qn * norms[normOff + i]);
        }
    }
}
