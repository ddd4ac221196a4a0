package io.lodestone.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Lists the keys of a {@link LocalObjectStore} in ascending order, walking only the directories
 * that can hold a match.
 *
 * <p>Order: a directory {@code d} holds keys {@code d/...}, so among its siblings it sorts as the
 * name {@code "d/"}; a depth-first walk visiting siblings in that order yields keys in ascending
 * order. Within one directory the names are heapified (linear) rather than sorted, and an entry is
 * stat'ed only when it is about to be consumed, so a page of {@code limit} keys from a directory of
 * 100k files costs one directory read plus about {@code limit} stats and heap pops.
 *
 * <p>Stateless; safe to call from many threads while objects are written and deleted (a file
 * deleted during the walk is skipped).
 */
final class LocalKeyLister {

    private final Path root;

    LocalKeyLister(Path root) {
        this.root = root;
    }

    /** Keys starting with {@code prefix} and greater than {@code startAfter}, ascending, at most {@code limit}. */
    List<String> list(String prefix, String startAfter, int limit) throws IOException {
        var out = new ArrayList<String>(Math.min(limit, 1024));
        if (limit == 0) {
            return out;
        }
        String after = startAfter;
        if (after != null && after.compareTo(prefix) < 0) {
            after = null; // every key with the prefix is greater
        }
        if (after != null && !after.startsWith(prefix)) {
            return out; // after > prefix and diverges from it inside the prefix: every key with the prefix is smaller
        }
        int slash = prefix.lastIndexOf('/');
        String dirKey = prefix.substring(0, slash + 1);
        String partial = prefix.substring(slash + 1);
        Path dir = dirKey.isEmpty() ? root : root.resolve(dirKey);
        String afterRel = after == null ? null : after.substring(dirKey.length());
        walk(dir, dirKey, partial, afterRel, limit, out);
        return out;
    }

    /**
     * Appends to {@code out} the keys under {@code dir} (whose keys start with {@code dirKey}) whose
     * first name starts with {@code namePrefix} and whose key relative to {@code dirKey} is greater
     * than {@code afterRel} (null: no lower bound), until {@code out} holds {@code limit}.
     */
    private void walk(Path dir, String dirKey, String namePrefix, String afterRel, int limit, List<String> out)
            throws IOException {
        var names = new ArrayList<String>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(namePrefix) && mayFollow(name, afterRel) && ObjectKeys.isValidSegment(name)
                        && !(dirKey.isEmpty() && name.equals(LocalStaging.DIR_NAME))) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException absent) {
            return;
        }
        var unread = new PriorityQueue<>(names);
        var ready = new PriorityQueue<Entry>(Comparator.comparing(Entry::sortName));
        while (out.size() < limit) {
            String next = unread.peek();
            // Every unread name sorts at or after itself, so the smallest ready entry is the
            // smallest overall once it does not exceed the next unread name.
            if (!ready.isEmpty() && (next == null || ready.peek().sortName().compareTo(next) <= 0)) {
                Entry e = ready.poll();
                if (e.directory()) {
                    String childAfter = afterRel != null && afterRel.startsWith(e.sortName())
                            ? afterRel.substring(e.sortName().length()) : null;
                    walk(dir.resolve(e.name()), dirKey + e.sortName(), "", childAfter, limit, out);
                } else {
                    out.add(dirKey + e.name());
                }
            } else if (next != null) {
                unread.poll();
                Entry e = stat(dir, next);
                if (e != null && (e.directory() || afterRel == null || next.compareTo(afterRel) > 0)) {
                    ready.add(e);
                }
            } else {
                return;
            }
        }
    }

    /**
     * Whether entry {@code name} can hold a key greater than {@code afterRel}: as a file its key is
     * {@code name}, as a directory its keys start with {@code name + "/"}; the weaker test keeps
     * both until the entry is stat'ed.
     */
    private static boolean mayFollow(String name, String afterRel) {
        if (afterRel == null) {
            return true;
        }
        String asDirectory = name + "/";
        return asDirectory.compareTo(afterRel) > 0 || afterRel.startsWith(asDirectory);
    }

    private static Entry stat(Path dir, String name) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException deletedMeanwhile) {
            return null;
        }
        if (attrs.isRegularFile()) {
            return new Entry(name, name, false);
        }
        if (attrs.isDirectory()) {
            return new Entry(name, name + "/", true);
        }
        return null; // links and special files are not objects
    }

    private record Entry(String name, String sortName, boolean directory) {
    }
}
