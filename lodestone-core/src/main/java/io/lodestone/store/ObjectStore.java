package io.lodestone.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The only stateful dependency: a flat key → bytes store. Keys are '/'-separated paths of
 * printable ASCII. Implementations are thread-safe.
 *
 * <p>Guarantees every implementation gives:
 * <ol>
 *   <li>{@link #put} and {@link #putIfAbsent} are durable when they return (fsync on local disk).</li>
 *   <li>{@link #putIfAbsent} is atomic: of any number of concurrent callers for one key, exactly one
 *       returns {@code true}, and readers see either no object or the winner's complete bytes.</li>
 *   <li>{@link #list} returns keys in ascending lexicographic (UTF-8 byte) order.</li>
 * </ol>
 * All coordination in Lodestone relies on {@code putIfAbsent} of numbered keys only.
 */
public interface ObjectStore extends AutoCloseable {

    /** The whole object; {@link ObjectNotFoundException} when absent. */
    byte[] get(String key) throws IOException;

    /** {@code length} bytes from {@code offset} (fewer at the end of the object). */
    byte[] getRange(String key, long offset, int length) throws IOException;

    /**
     * The last {@code length} bytes of the object (all of it when it is shorter) and its size: one request where
     * the store can ask for a suffix range (the default asks for the size first).
     */
    default Tail getTail(String key, int length) throws IOException {
        long size = size(key);
        long from = Math.max(0, size - length);
        return new Tail(getRange(key, from, (int) (size - from)), size);
    }

    /** The end of an object and the object's size. */
    record Tail(byte[] bytes, long objectSize) {
    }

    /** Size of the object in bytes; {@link ObjectNotFoundException} when absent. */
    long size(String key) throws IOException;

    /**
     * Whether an object has the key. The default asks for its {@link #size}; stores override it where
     * a cheaper check exists (a query's freshness probe calls it twice, and absence is the usual answer).
     */
    default boolean exists(String key) throws IOException {
        try {
            size(key);
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    /**
     * This store's {@link ChangeCounter}, where it keeps one that every process sharing the store updates;
     * empty where it cannot (then a reader learns of changes only by looking at the objects).
     */
    default Optional<ChangeCounter> changes() {
        return Optional.empty();
    }

    /** Creates or replaces the object. */
    void put(String key, byte[] data) throws IOException;

    /** Creates the object only if no object has the key; returns whether this call created it. */
    boolean putIfAbsent(String key, byte[] data) throws IOException;

    /**
     * Keys starting with {@code prefix} and greater than {@code startAfter} (null: from the start),
     * ascending, at most {@code limit}.
     */
    List<String> list(String prefix, String startAfter, int limit) throws IOException;

    /** Deletes the object; deleting an absent key is not an error. */
    void delete(String key) throws IOException;

    /**
     * Creates or replaces the object with the contents of a local file of any size; durable on return.
     * The file must not change afterwards (a local store may link it instead of copying).
     * The default reads the file into memory; stores override it to stream.
     */
    default void putFile(String key, Path file) throws IOException {
        put(key, Files.readAllBytes(file));
    }

    /** Copies the object into a local file (created or replaced). The default reads it into memory. */
    default void getToFile(String key, Path target) throws IOException {
        Files.write(target, get(key));
    }

    /**
     * The local file that holds the object, when this store keeps objects as immutable local files that
     * may be memory-mapped directly; empty otherwise (then callers copy with {@link #getToFile}).
     */
    default Optional<Path> localPath(String key) throws IOException {
        return Optional.empty();
    }

    /**
     * Whether requests are local calls (a directory, memory) rather than network round trips: a remote store
     * is sent independent requests at once, a local one is not worth the threads.
     */
    default boolean local() {
        return false;
    }

    /** Human-readable description for messages, e.g. {@code local:/data} or {@code s3://bucket}. */
    String describe();

    @Override
    default void close() throws IOException {
    }
}
