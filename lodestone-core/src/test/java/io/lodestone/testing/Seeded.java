package io.lodestone.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

import java.util.Random;

/**
 * Seeds a {@link Random} per test from {@code -Dtests.seed} (or a fresh seed) and, when the test fails,
 * prints the command that reproduces it. Use with {@code @ExtendWith(Seeded.class)} and take a
 * {@code Random} parameter in the test method.
 */
public final class Seeded implements ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Seeded.class);

    /** Scales a size by {@code -Dtests.multiplier} (default 1), for longer runs outside CI. */
    public static int atLeast(Random random, int n) {
        int scaled = n * Integer.getInteger("tests.multiplier", 1);
        return scaled + random.nextInt(Math.max(1, scaled / 2));
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Random.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        long seed = Long.getLong("tests.seed", new Random().nextLong());
        e.getStore(NS).put("seed", seed);
        return new Random(seed);
    }

    @Override
    public void testFailed(ExtensionContext e, Throwable cause) {
        Long seed = e.getStore(NS).get("seed", Long.class);
        if (seed != null) {
            System.err.printf("REPRODUCE WITH: ./mvnw test -Dtest=%s#%s -Dtests.seed=%d%n",
                    e.getRequiredTestClass().getSimpleName(), e.getRequiredTestMethod().getName(), seed);
        }
    }
}
