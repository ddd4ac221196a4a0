package io.lodestone.quant;

import io.lodestone.codec.BytesReader;
import io.lodestone.codec.BytesWriter;
import java.util.Arrays;
import java.util.Random;

/**
 * A dense random orthogonal matrix, uniformly (Haar) distributed: the rows of a matrix of independent
 * Gaussians, orthonormalized by Gram-Schmidt in double precision (twice per row, which keeps the
 * rows orthogonal to float precision). {@code n²} floats; {@link #apply} costs {@code n²} FMAs, so it
 * suits moderate dimensions.
 */
final class DenseRotation implements Rotation {

    private final int n;
    /** {@code R}, row-major {@code n × n}: what is stored. */
    private final float[] rows;
    /** {@code Rᵀ}, row-major: the columns of {@code R}, for {@link #apply}. */
    private final float[] columns;

    private DenseRotation(int n, float[] rows) {
        this.n = n;
        this.rows = rows;
        this.columns = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                columns[j * n + i] = rows[i * n + j];
            }
        }
    }

    static DenseRotation random(int n, Random random) {
        double[][] q = new double[n][n];
        for (double[] row : q) {
            for (int j = 0; j < n; j++) {
                row[j] = random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            double[] v = q[i];
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < i; k++) {
                    double[] u = q[k];
                    double d = 0;
                    for (int j = 0; j < n; j++) {
                        d += v[j] * u[j];
                    }
                    for (int j = 0; j < n; j++) {
                        v[j] -= d * u[j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += v[j] * v[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < n; j++) {
                v[j] /= norm;
            }
        }
        float[] rows = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                rows[i * n + j] = (float) q[i][j];
            }
        }
        return new DenseRotation(n, rows);
    }

    @Override
    public int dimension() {
        return n;
    }

    /*
     * Both products are written as sums of scaled rows (out += x_j · row_j): element-wise loops that
     * the JIT vectorizes, and that round the same way interpreted or compiled, unlike a SIMD lane
     * reduction. A code must not depend on when it was computed.
     */

    @Override
    public void apply(float[] x, float[] out) {
        multiply(columns, x, out);
    }

    @Override
    public void applyInverse(float[] y, float[] out) {
        multiply(rows, y, out);
    }

    /** {@code out = Σ_j x_j · m[j·n, (j+1)·n)}. */
    private void multiply(float[] m, float[] x, float[] out) {
        Arrays.fill(out, 0f);
        for (int j = 0; j < n; j++) {
            float xj = x[j];
            int base = j * n;
            for (int i = 0; i < n; i++) {
                out[i] += xj * m[base + i];
            }
        }
    }

    @Override
    public int code() {
        return DENSE;
    }

    @Override
    public void writeBody(BytesWriter w) {
        w.writeFloats(rows);
    }

    static DenseRotation readBody(BytesReader r, int n) {
        return new DenseRotation(n, r.readFloats(n * n));
    }
}
