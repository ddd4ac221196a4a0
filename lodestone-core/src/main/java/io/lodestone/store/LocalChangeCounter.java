package io.lodestone.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;

/**
 * The {@link ChangeCounter} of a {@link LocalObjectStore}: one 64-bit word in the file {@code .tmp/changes},
 * mapped shared by every store open on the root, in this process or another, and incremented atomically
 * ({@code lock xadd} on the shared page) after each change is published.
 *
 * <p>Processes see each other's increments because they map the same page of the page cache, which holds
 * only where that page is the one copy: local file systems. On network or FUSE file systems (NFS, SMB,
 * sshfs, 9p, virtiofs: several hosts may map their own copies) the store offers no counter and readers
 * look at the objects, as with any store. The file is created without truncation and extended only by
 * growing its length, which never overwrites a count another process has made; it is never deleted
 * (staging clean-up skips it), so every store on a root maps the same file.
 */
final class LocalChangeCounter implements ChangeCounter {
    static final String FILE_NAME = "changes";
    /** File systems whose shared mappings are one copy per page on this host. */
    private static final Set<String> LOCAL_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs",
            "zfs", "f2fs", "overlay", "apfs", "hfs", "ntfs", "refs");
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment word;

    private LocalChangeCounter(MemorySegment word) {
        this.word = word;
    }

    /** The counter of the store whose staging directory is {@code stagingDir}, or null where it cannot be shared. */
    static LocalChangeCounter open(Path stagingDir) throws IOException {
        if (!LOCAL_FILE_SYSTEMS.contains(Files.getFileStore(stagingDir).type().toLowerCase(Locale.ROOT))) return null;
        try (FileChannel ch = FileChannel.open(stagingDir.resolve(FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Mapping past the end grows the file (ftruncate to a larger length: zeros only beyond the old end).
            // An automatic arena: unmapped when unreachable, so a query racing the store's close never sees a closed mapping.
            return new LocalChangeCounter(ch.map(FileChannel.MapMode.READ_WRITE, 0, Long.BYTES, Arena.ofAuto()));
        }
    }

    @Override
    public long current() {
        return (long) WORD.getVolatile(word, 0L);
    }

    /** Counts one change; call after the change is published (visible to readers). */
    void increment() {
        WORD.getAndAdd(word, 0L, 1L);
    }
}
