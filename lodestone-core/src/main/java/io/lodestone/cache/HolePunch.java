package io.lodestone.cache;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * Frees a byte range in the middle of a file while keeping its length: Linux {@code fallocate(fd,
 * FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length)} through java.lang.foreign (the JDK's
 * {@code FileChannel} cannot punch, and truncation only frees a file's end). The range then reads as zeros
 * and takes no disk space. {@link #AVAILABLE} is false off Linux, when native access is denied, or when the
 * calls cannot be linked: then nothing is punched ({@link SparseFile} keeps its blocks). Thread-safe.
 */
final class HolePunch {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FALLOCATE;
    private static final StructLayout CALL_STATE;
    private static final VarHandle ERRNO;
    /** Whether holes can be punched on this platform. */
    static final boolean AVAILABLE;

    static {
        MethodHandle open = null, close = null, fallocate = null;
        StructLayout state = null;
        VarHandle errno = null;
        boolean ok = false;
        if (System.getProperty("os.name", "").startsWith("Linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                Linker.Option ccs = Linker.Option.captureCallState("errno");
                state = Linker.Option.captureStateLayout();
                errno = state.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
                // open(2) is variadic: the mode argument is absent here, so the variadic part is empty
                open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        ccs, Linker.Option.firstVariadicArg(2));
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                fallocate = linker.downcallHandle(libc.find("fallocate").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), ccs);
                ok = true;
            } catch (RuntimeException | LinkageError e) {
                System.getLogger(HolePunch.class.getName()).log(System.Logger.Level.INFO,
                        "cannot punch holes (" + e + "): blocks inside open sparse files are not evicted");
            }
        }
        OPEN = open;
        CLOSE = close;
        FALLOCATE = fallocate;
        CALL_STATE = state;
        ERRNO = errno;
        AVAILABLE = ok;
    }

    private HolePunch() {
    }

    /** A file descriptor open for writing on {@code file}, for {@link #punch}; close it with {@link #close}. */
    static int open(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(file.toString()), O_RDWR | O_CLOEXEC);
            if (fd < 0) throw new IOException("open " + file + " failed: errno " + (int) ERRNO.get(state, 0L));
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** Frees {@code [offset, offset + length)} of the file; it reads as zeros afterwards. */
    static void punch(int fd, long offset, long length, Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int rc = (int) FALLOCATE.invokeExact(state, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
            if (rc != 0) {
                throw new IOException("punching bytes " + offset + ".." + (offset + length) + " of " + file
                        + " failed: errno " + (int) ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // a descriptor that cannot be closed is released when the process exits
        }
    }
}
