package io.lodestone.vector;

import java.util.ArrayList;
import java.util.List;

/** The kernel implementations this JVM can run, for tests that compare them. */
final class Implementations {

    private Implementations() {
    }

    /** Whether the JVM was started with {@code --add-modules jdk.incubator.vector}. */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Whether {@link VectorizationProvider} must offer Panama: the module is present and C2 runs
     * ({@code -Xint} and {@code -XX:TieredStopAtLevel<4} make it fall back on purpose).
     */
    static boolean panamaExpected() {
        String vmInfo = System.getProperty("java.vm.info", "");
        return vectorModulePresent() && !vmInfo.contains("interpreted") && !vmInfo.contains("emulated-client");
    }

    /** Scalar, plus Panama when the module is present (it must then be usable). */
    static List<VectorOps> all() {
        List<VectorOps> ops = new ArrayList<>();
        ops.add(VectorizationProvider.scalar());
        VectorizationProvider.panama().ifPresent(ops::add);
        return ops;
    }
}
