package io.lodestone.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * File names of the disk tier. An entry for object key {@code k} is the data file {@code k.whole} (or
 * {@code k.b<block>}) and beside it {@code <data file>.crc}, holding the CRC32C and length of the data. A
 * download goes to a {@code .part} file first; the data file is renamed into place before its checksum
 * file is written, so after a crash an entry is complete exactly when both exist and agree in length.
 * An object cached by ranged reads is one file {@code k.sparse} that checks itself ({@link SparseFile}).
 */
final class DiskLayout {
    private static final String WHOLE_SUFFIX = ".whole";
    private static final String CRC_SUFFIX = ".crc";
    private static final String PART_SUFFIX = ".part";
    private static final String SPARSE_SUFFIX = ".sparse";
    private static final Pattern DATA_NAME = Pattern.compile("(.+)(?:\\.whole|\\.b(\\d+))");

    private final Path root;

    DiskLayout(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path dataFile(CacheKey key) {
        return root.resolve(key.objectKey() + (key.block() == CacheKey.WHOLE ? WHOLE_SUFFIX : ".b" + key.block()));
    }

    Path sparseFile(CacheKey key) {
        return root.resolve(key.objectKey() + SPARSE_SUFFIX);
    }

    static Path checksumFile(Path data) {
        return data.resolveSibling(data.getFileName() + CRC_SUFFIX);
    }

    /** A fresh temporary file beside where the entry's data file goes. */
    Path partFile(CacheKey key) throws IOException {
        Path data = dataFile(key);
        Files.createDirectories(data.getParent());
        return data.resolveSibling(data.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + PART_SUFFIX);
    }

    /** CRC32C of a file's bytes. */
    static long crc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf.clear()) > 0) crc.update(buf.flip());
        }
        return crc.getValue();
    }

    static void writeChecksum(Path data, long crc, long size) throws IOException {
        Path sum = checksumFile(data);
        Path tmp = sum.resolveSibling(sum.getFileName() + PART_SUFFIX);
        Files.writeString(tmp, HexFormat.of().toHexDigits(crc) + " " + size + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, sum, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static void delete(Path data) {
        try {
            Files.deleteIfExists(checksumFile(data));
            Files.deleteIfExists(data);
        } catch (IOException e) {
            // a file that cannot be deleted now is found and removed by the next start's scan
        }
    }

    /** An entry found on disk at start-up ({@code sparse}: a {@link SparseFile}, whose size and crc are 0). */
    record Found(CacheKey key, Path file, long size, long crc, boolean sparse) {
    }

    /**
     * The complete entries under the root; removes everything else there (partial downloads, data without a
     * checksum, checksums without data, files whose length disagrees with their checksum file).
     */
    List<Found> scan() throws IOException {
        List<Found> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        }
        for (Path f : files) {
            String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
            Matcher m = DATA_NAME.matcher(name);
            if (name.endsWith(SPARSE_SUFFIX)) {
                out.add(new Found(CacheKey.whole(name.substring(0, name.length() - SPARSE_SUFFIX.length())), f, 0, 0, true));
            } else if (name.endsWith(CRC_SUFFIX)) {
                Path data = f.resolveSibling(f.getFileName().toString().substring(0,
                        f.getFileName().toString().length() - CRC_SUFFIX.length()));
                if (!Files.isRegularFile(data)) Files.deleteIfExists(f);
            } else if (m.matches()) {
                Found found = read(f, new CacheKey(m.group(1), m.group(2) == null ? CacheKey.WHOLE : Long.parseLong(m.group(2))));
                if (found == null) delete(f);
                else out.add(found);
            } else {
                Files.deleteIfExists(f); // a .part file from a download that never finished, or a stray file
            }
        }
        return out;
    }

    private static Found read(Path data, CacheKey key) throws IOException {
        try {
            String[] parts = Files.readString(checksumFile(data), StandardCharsets.US_ASCII).trim().split(" ");
            long size = Files.size(data);
            if (parts.length != 2 || Long.parseLong(parts[1]) != size) return null;
            return new Found(key, data, size, HexFormat.fromHexDigitsToLong(parts[0]), false);
        } catch (NoSuchFileException | NumberFormatException e) {
            return null;
        }
    }
}
