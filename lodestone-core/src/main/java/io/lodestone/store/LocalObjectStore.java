package io.lodestone.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * The default {@link ObjectStore}: each object is a file under a root directory, the key's
 * '/'-separated segments being directories.
 *
 * <p>Publishing, so that readers never see a partial file:
 * <ol>
 *   <li>the bytes go to a new file in the hidden staging directory {@code .tmp/} (see
 *       {@link LocalStaging}), which is forced to the device;</li>
 *   <li>{@link #put} renames it over the target (atomic replace); {@link #putIfAbsent} hard-links
 *       it to the target, which fails if the target exists (atomic create-if-absent), then removes
 *       the staging name;</li>
 *   <li>the target's directory is forced, so the new name survives a crash (as is every directory
 *       created on the way).</li>
 * </ol>
 * Reads open the file once, so a concurrent replace never mixes old and new bytes.
 *
 * <p>Limits: {@code putIfAbsent} needs hard links (every POSIX file system and NTFS have them; a
 * file system without them fails loudly rather than race). A key cannot be both an object and
 * the directory of other keys ({@code a} and {@code a/b}); writing one when the other exists fails
 * with an {@link IOException} naming the key. Deletes leave empty directories behind, which list
 * ignores. Keys whose first segment is {@code .tmp} are reserved.
 *
 * <p>Thread-safe, and safe to share a root between processes: all coordination is by rename,
 * link and the staging directory's file locks.
 */
public final class LocalObjectStore implements ObjectStore {

    private final Path root;
    private final LocalStaging staging;
    private final LocalKeyLister lister;
    /** Null where the file system cannot share it between processes ({@link LocalChangeCounter}). */
    private final LocalChangeCounter changes;

    /**
     * Opens (creating it if needed) a store rooted at {@code root}, removing temporary files that a
     * crashed process left behind.
     */
    public LocalObjectStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        this.staging = LocalStaging.open(this.root);
        this.lister = new LocalKeyLister(this.root);
        try {
            this.changes = LocalChangeCounter.open(this.root.resolve(LocalStaging.DIR_NAME));
        } catch (IOException | RuntimeException e) {
            staging.close();
            throw e;
        }
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    @Override
    public byte[] get(String key) throws IOException {
        Path path = resolve(key);
        try (FileChannel ch = openForRead(key, path)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException("object '" + key + "' in " + describe() + " is " + size
                        + " bytes, too large for one array; read it with getRange");
            }
            return read(key, path, ch, 0, (int) size);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) throws IOException {
        ObjectKeys.requireValidRange(key, offset, length);
        Path path = resolve(key);
        try (FileChannel ch = openForRead(key, path)) {
            long available = Math.max(0, ch.size() - offset);
            return read(key, path, ch, offset, (int) Math.min(length, available));
        }
    }

    /**
     * Counted in {@code .tmp/changes}, shared by every process with the root open (on local file systems; see
     * {@link LocalChangeCounter}): a freshness probe that finds the count unchanged skips its {@link #exists} calls.
     */
    @Override
    public Optional<ChangeCounter> changes() {
        return Optional.ofNullable(changes);
    }

    /** One {@code stat}/{@code access} call, without the exceptions a missing file costs {@link #size}. */
    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public long size(String key) throws IOException {
        Path path = resolve(key);
        try {
            var attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                throw new ObjectNotFoundException(key);
            }
            return attrs.size();
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (FileSystemException e) {
            throw notFoundOr(key, path, "size", e);
        }
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        Path target = resolve(key);
        createParents(key, target.getParent());
        Path tmp = stage(key, data);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            changed();
            LocalStaging.forceDirectory(target.getParent());
        } catch (IOException e) {
            throw failure("put", key, target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        Path target = resolve(key);
        createParents(key, target.getParent());
        Path tmp = stage(key, data);
        try {
            Files.createLink(target, tmp);
            changed();
            LocalStaging.forceDirectory(target.getParent());
            return true;
        } catch (FileAlreadyExistsException exists) {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw failure("putIfAbsent", key, target, exists);
            }
            return false;
        } catch (UnsupportedOperationException noLinks) {
            throw new IOException("putIfAbsent of key '" + key + "' in " + describe()
                    + " needs hard links, which the file system under " + root + " does not support", noLinks);
        } catch (IOException e) {
            throw failure("putIfAbsent", key, target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public List<String> list(String prefix, String startAfter, int limit) throws IOException {
        String p = ObjectKeys.requireValidPrefix(prefix);
        ObjectKeys.requireValidLimit(limit);
        if (p.equals(LocalStaging.DIR_NAME) || p.startsWith(LocalStaging.DIR_NAME + "/")) {
            return List.of();
        }
        return lister.list(p, startAfter, limit);
    }

    @Override
    public void delete(String key) throws IOException {
        Path target = resolve(key);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return; // a prefix of other keys, not an object
        }
        try {
            if (Files.deleteIfExists(target)) {
                changed();
                LocalStaging.forceDirectory(target.getParent());
            }
        } catch (FileSystemException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw failure("delete", key, target, e);
            }
            // a parent segment is a file: there is no such object
        }
    }

    /**
     * Links (or, across file systems, copies) the file into staging, forces it, then renames it over the
     * target (atomic replace). The caller must not change the file afterwards: with a link they share data.
     */
    @Override
    public void putFile(String key, Path file) throws IOException {
        Path target = resolve(key);
        createParents(key, target.getParent());
        Path tmp = staging.newPath();
        try {
            try {
                Files.createLink(tmp, file); // same file system: no copy (the file is forced below either way)
            } catch (IOException | UnsupportedOperationException otherFileSystem) {
                Files.copy(file, tmp);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            changed();
            LocalStaging.forceDirectory(target.getParent());
        } catch (IOException e) {
            throw failure("putFile", key, target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Copies the object's file into {@code target} (created or replaced); an absent key leaves no target. */
    @Override
    public void getToFile(String key, Path target) throws IOException {
        Path path = resolve(key);
        try (FileChannel in = openForRead(key, path);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            for (long done = 0; done < size; ) {
                done += in.transferTo(done, size - done, out);
            }
        }
    }

    /** Objects are files replaced only by rename, so an object's file can be mapped in place. */
    @Override
    public Optional<Path> localPath(String key) throws IOException {
        Path path = resolve(key);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) throw new ObjectNotFoundException(key);
        return Optional.of(path);
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public String describe() {
        return "local:" + root;
    }

    /** Releases the staging directory; the objects stay. */
    @Override
    public void close() throws IOException {
        staging.close();
    }

    /** Counts a published change (after it is visible, before the call returns). */
    private void changed() {
        if (changes != null) changes.increment();
    }

    private Path resolve(String key) {
        ObjectKeys.requireValidKey(key);
        if (key.equals(LocalStaging.DIR_NAME) || key.startsWith(LocalStaging.DIR_NAME + "/")) {
            throw new IllegalArgumentException("object key '" + key + "' is reserved: '"
                    + LocalStaging.DIR_NAME + "/' holds the local store's temporary files");
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("object key '" + key + "' resolves outside " + root);
        }
        return path;
    }

    /** Creates the missing directories from the root down to {@code dir}, forcing each parent. */
    private void createParents(String key, Path dir) throws IOException {
        if (dir.equals(root) || Files.isDirectory(dir)) {
            return;
        }
        createParents(key, dir.getParent());
        try {
            Files.createDirectory(dir);
            LocalStaging.forceDirectory(dir.getParent());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("cannot write key '" + key + "' in " + describe() + ": its prefix '"
                        + root.relativize(dir).toString().replace('\\', '/') + "' is itself an object", e);
            }
            // created concurrently
        } catch (IOException e) {
            throw failure("create directory for", key, dir, e);
        }
    }

    private Path stage(String key, byte[] data) throws IOException {
        try {
            return staging.write(data);
        } catch (IOException e) {
            throw new IOException("cannot stage " + data.length + " bytes for key '" + key + "' in "
                    + describe() + ": " + e, e);
        }
    }

    private FileChannel openForRead(String key, Path path) throws IOException {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            if (Files.isDirectory(path)) {
                ch.close();
                throw new ObjectNotFoundException(key);
            }
            return ch;
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (FileSystemException e) {
            throw notFoundOr(key, path, "read", e);
        }
    }

    private byte[] read(String key, Path path, FileChannel ch, long offset, int length) throws IOException {
        byte[] out = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(out);
        while (buf.hasRemaining()) {
            int n;
            try {
                n = ch.read(buf, offset + buf.position());
            } catch (IOException e) {
                throw failure("read", key, path, e);
            }
            if (n < 0) {
                // Objects are never modified in place, so an open file cannot shrink.
                throw new IOException("object '" + key + "' in " + describe() + " ended at "
                        + (offset + buf.position()) + " bytes; expected " + (offset + length));
            }
        }
        return out;
    }

    /** A file-system error on a path that is not a regular file means no object has the key. */
    private IOException notFoundOr(String key, Path path, String op, IOException e) {
        if (!Files.isRegularFile(path)) {
            return new ObjectNotFoundException(key);
        }
        return failure(op, key, path, e);
    }

    private IOException failure(String op, String key, Path path, IOException e) {
        if (op.startsWith("put") && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return new IOException("cannot " + op + " key '" + key + "' in " + describe()
                    + ": it is the prefix of other keys (" + path + " is a directory)", e);
        }
        return new IOException(op + " of key '" + key + "' in " + describe() + " failed: " + e, e);
    }
}
