package io.lodestone.vector;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the {@link VectorOps} implementation, once per JVM.
 *
 * <p>The system property {@value #PROPERTY} selects it: {@code scalar} forces {@link ScalarVectorOps};
 * {@code panama} or unset (also {@code auto}) picks {@code PanamaVectorOps} when the Vector API can be
 * used and falls back to scalar otherwise. The Vector API can be used when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, runs the C2 compiler (without it the API is boxed and
 * very slow), and its preferred vector shape is at least 128 bits. Every fallback is logged once,
 * with its reason, on the {@code io.lodestone.vector.VectorizationProvider} {@link System.Logger}:
 * WARNING when Panama was wanted, INFO when scalar was asked for.
 *
 * <p>Only {@link VectorUtil} and benchmarks should call this class; everyone else goes through the
 * façade.
 */
public final class VectorizationProvider {

    /** The system property that forces an implementation: {@code scalar}, {@code panama} or {@code auto}. */
    public static final String PROPERTY = "lodestone.vectorization";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final Logger LOG = System.getLogger(VectorizationProvider.class.getName());

    private VectorizationProvider() {
    }

    /** The implementation this JVM uses, chosen on first call (see the class comment). */
    public static VectorOps get() {
        return Chosen.OPS;
    }

    /** The reference implementation, always available. */
    public static VectorOps scalar() {
        return ScalarVectorOps.INSTANCE;
    }

    /**
     * The Vector API implementation if this JVM can use it, whatever {@value #PROPERTY} says (for
     * tests and benchmarks that compare implementations); empty otherwise, see
     * {@link #panamaUnavailableReason()}.
     */
    public static Optional<VectorOps> panama() {
        return Optional.ofNullable(Panama.OPS);
    }

    /** Why {@link #panama()} is empty, or empty if it is not. */
    public static Optional<String> panamaUnavailableReason() {
        return Optional.ofNullable(Panama.UNAVAILABLE_REASON);
    }

    /** Lazily probes the Vector API; holds the instance or the reason it cannot be had. */
    private static final class Panama {
        static final VectorOps OPS;
        static final String UNAVAILABLE_REASON;

        static {
            VectorOps ops = null;
            String reason = unusableReason();
            if (reason == null) {
                try {
                    // Reflectively, so this class links without the incubator module.
                    Class<?> type = Class.forName(VectorizationProvider.class.getPackageName() + ".PanamaVectorOps");
                    ops = (VectorOps) type.getDeclaredField("INSTANCE").get(null);
                    int bits = PanamaVectorOps.SPECIES.vectorBitSize();
                    if (bits < 128) {
                        ops = null;
                        reason = "the preferred vector size is " + bits + " bits; at least 128 are needed";
                    }
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    ops = null;
                    reason = "the Vector API failed to initialize: " + e;
                }
            }
            OPS = ops;
            UNAVAILABLE_REASON = reason;
        }

        private static String unusableReason() {
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                return "module " + VECTOR_MODULE + " is not in the boot layer; start the JVM with"
                        + " --add-modules " + VECTOR_MODULE;
            }
            String vmInfo = System.getProperty("java.vm.info", "").toLowerCase(Locale.ROOT);
            String vmName = System.getProperty("java.vm.name", "").toLowerCase(Locale.ROOT);
            if (vmInfo.contains("interpreted") || vmInfo.contains("emulated-client") || vmName.contains("client")) {
                return "the JVM runs without the C2 compiler (" + System.getProperty("java.vm.info")
                        + "), under which the Vector API is slower than scalar code";
            }
            return null;
        }
    }

    /** The implementation chosen for {@link #get()}, resolved on first use. */
    private static final class Chosen {
        static final VectorOps OPS = choose();

        private static VectorOps choose() {
            String wanted = System.getProperty(PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
            switch (wanted) {
                case "scalar" -> {
                    LOG.log(Level.INFO, "vector kernels: scalar (-D{0}=scalar)", PROPERTY);
                    return ScalarVectorOps.INSTANCE;
                }
                case "panama", "auto", "" -> {
                    // fall through to the probe below
                }
                default -> LOG.log(Level.WARNING, "ignoring -D{0}={1}: expected scalar, panama or auto",
                        PROPERTY, wanted);
            }
            if (Panama.OPS != null) {
                LOG.log(Level.INFO, "vector kernels: panama, {0}-bit vectors",
                        PanamaVectorOps.SPECIES.vectorBitSize());
                return Panama.OPS;
            }
            LOG.log(Level.WARNING, "vector kernels: scalar fallback, because {0}", Panama.UNAVAILABLE_REASON);
            return ScalarVectorOps.INSTANCE;
        }
    }
}
