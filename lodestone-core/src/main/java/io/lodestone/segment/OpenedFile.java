package io.lodestone.segment;

import io.lodestone.cache.PinnedFile;
import io.lodestone.cache.ReadSections;
import io.lodestone.store.ObjectNotFoundException;

import java.io.IOException;

/**
 * A segment file's reader opened over its pinned cache file: closing it unmaps the reader, then releases the pin.
 *
 * @param pin  the cache pin, held while the reader maps the file
 * @param file the reader
 */
public record OpenedFile<T extends AutoCloseable>(PinnedFile pin, T file) {

    /** Opens a reader over a pinned file. */
    @FunctionalInterface
    public interface Reader<T> {
        T open(PinnedFile pin) throws IOException;
    }

    /**
     * Pins the object's file and opens {@code reader} over it; the pin is released if the reader fails.
     *
     * @param optional whether an absent object gives null rather than {@link ObjectNotFoundException}
     */
    public static <T extends AutoCloseable> OpenedFile<T> open(SegmentFiles files, String key, boolean optional,
                                                               Reader<T> reader) throws IOException {
        PinnedFile pin;
        try {
            pin = files.open(key);
        } catch (ObjectNotFoundException absent) {
            if (optional) return null;
            throw absent;
        }
        try {
            // a reader reads what its open ensured (headers, tables, metadata) for as long as it is open
            return new OpenedFile<>(pin, ReadSections.keeping(() -> reader.open(pin)));
        } catch (IOException | RuntimeException e) {
            pin.close();
            throw e;
        }
    }

    /** Closes the reader and releases the pin. */
    public void close() {
        try {
            file.close();
        } catch (Exception e) {
            // unmapping cannot fail in a way a caller could act on
        }
        pin.close();
    }
}
