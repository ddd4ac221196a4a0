package io.lodestone.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hidden directory where a {@link LocalObjectStore} writes new objects before publishing them,
 * so that readers never see a partial file.
 *
 * <p>Layout under the store root: {@code .tmp/<instance>/} holds one instance's temporary files
 * and {@code .tmp/<instance>.lock} is locked (an OS file lock) for as long as that instance is
 * open. Opening removes every instance directory whose lock is free: what a crashed process left
 * behind. The lock keeps two stores open on one root (two processes, or two instances in one JVM)
 * from deleting each other's files in flight.
 *
 * <p>Thread-safe: temporary names come from a counter.
 */
final class LocalStaging implements Closeable {

    /** Name of the staging directory under the root; no key may start with it. */
    static final String DIR_NAME = ".tmp";

    private static final String LOCK_SUFFIX = ".lock";

    private final Path dir;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final AtomicLong counter = new AtomicLong();

    private LocalStaging(Path dir, Path lockFile, FileChannel lockChannel) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
    }

    /** Removes what crashed instances left under {@code root/.tmp} and claims a fresh directory. */
    static LocalStaging open(Path root) throws IOException {
        Path base = root.resolve(DIR_NAME);
        Files.createDirectories(base);
        removeAbandoned(base);
        // Another store opening at the same moment may lock and delete our lock file between its
        // creation and our tryLock; so lock, then check that the file is still there, else retry.
        for (int attempt = 1; ; attempt++) {
            String id = UUID.randomUUID().toString();
            Path lockFile = base.resolve(id + LOCK_SUFFIX);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                if (channel.tryLock() != null && Files.exists(lockFile)) {
                    Path dir = Files.createDirectory(base.resolve(id));
                    return new LocalStaging(dir, lockFile, channel);
                }
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(lockFile);
                throw e;
            }
            channel.close();
            Files.deleteIfExists(lockFile);
            if (attempt == 10) {
                throw new IOException("cannot claim a staging directory under " + base + " after 10 attempts");
            }
        }
    }

    /** A fresh, not yet existing path in the staging directory. */
    Path newPath() {
        return dir.resolve(counter.incrementAndGet() + ".tmp");
    }

    /**
     * Writes {@code data} to a new temporary file and forces it to the device; returns its path.
     * The caller publishes it (rename or link) and then deletes it.
     */
    Path write(byte[] data) throws IOException {
        Path tmp = newPath();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** Deletes this instance's directory, then releases its lock. */
    @Override
    public void close() throws IOException {
        try {
            deleteTree(dir);
        } finally {
            lockChannel.close();
            Files.deleteIfExists(lockFile);
        }
    }

    /** Fsyncs a directory so that a rename, link or unlink in it survives a crash. */
    static void forceDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory) && !isWindows()) {
            try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }

    /** Deletes stray files and every instance directory whose lock nobody holds. */
    private static void removeAbandoned(Path base) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.equals(LocalChangeCounter.FILE_NAME)) {
                    continue; // shared by every store on the root, never abandoned
                }
                if (name.endsWith(LOCK_SUFFIX)) {
                    Path instanceDir = base.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
                    removeIfUnlocked(entry, instanceDir);
                } else if (!Files.isDirectory(entry) || !Files.exists(base.resolve(name + LOCK_SUFFIX))) {
                    // A file, or a directory whose lock file is gone: nobody can own it.
                    deleteTree(entry);
                }
            }
        }
    }

    private static void removeIfUnlocked(Path lockFile, Path instanceDir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        } catch (NoSuchFileException closedMeanwhile) {
            return;
        }
        try (channel) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                return;
            }
            if (lock == null) {
                return; // another process holds it: that instance is alive
            }
            deleteTree(instanceDir);
            Files.deleteIfExists(lockFile);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    deleteTree(child);
                }
            } catch (NoSuchFileException gone) {
                return;
            }
        }
        Files.deleteIfExists(path);
    }
}
