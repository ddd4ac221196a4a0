package io.lodestone.store;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link ObjectStore} contract, run against every backend: a subclass supplies
 * {@link #newStore()} (a new, empty store for each test) and may scale the sizes.
 */
@ExtendWith(Seeded.class)
public abstract class BaseObjectStoreTestCase {

    /** The store under test, fresh for each test. */
    protected ObjectStore store;

    /** A new, empty store. */
    protected abstract ObjectStore newStore() throws Exception;

    /** Keys written by the paging test; S3 overrides it to cross the 1,000-key page of ListObjectsV2. */
    protected int pagingKeyCount() {
        return 250;
    }

    /** Log slots raced for by the concurrency test. */
    protected int raceSlotCount() {
        return 60;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void putThenGetReturnsTheBytes(Random random) throws IOException {
        for (int size : new int[] {0, 1, 17, 4096, 1 + random.nextInt(200_000)}) {
            byte[] data = randomBytes(random, size);
            String key = "round/trip/" + size;
            store.put(key, data);
            assertThat(store.get(key)).isEqualTo(data);
            assertThat(store.size(key)).isEqualTo(size);
        }
    }

    @Test
    void putReplacesAnObject(Random random) throws IOException {
        byte[] first = randomBytes(random, 1000);
        byte[] second = randomBytes(random, 10);
        store.put("ns/doc", first);
        store.put("ns/doc", second);
        assertThat(store.get("ns/doc")).isEqualTo(second);
        assertThat(store.size("ns/doc")).isEqualTo(10);
        assertThat(store.list("ns/", null, 10)).containsExactly("ns/doc");
    }

    @Test
    void getTailReturnsTheEndAndTheSize(Random random) throws IOException {
        int size = 100 + random.nextInt(5000);
        byte[] data = randomBytes(random, size);
        store.put("tail", data);
        ObjectStore.Tail t = store.getTail("tail", 64);
        assertThat(t.objectSize()).isEqualTo(size);
        assertThat(t.bytes()).isEqualTo(Arrays.copyOfRange(data, size - 64, size));
        ObjectStore.Tail all = store.getTail("tail", size + 1000);
        assertThat(all.objectSize()).isEqualTo(size);
        assertThat(all.bytes()).as("a tail longer than the object is the object").isEqualTo(data);
        store.put("empty", new byte[0]);
        assertThat(store.getTail("empty", 10).bytes()).isEmpty();
        assertThat(store.getTail("empty", 10).objectSize()).isZero();
        assertThatThrownBy(() -> store.getTail("absent", 10)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void getRangeReturnsTheSlice(Random random) throws IOException {
        int size = 100 + random.nextInt(5000);
        byte[] data = randomBytes(random, size);
        store.put("range", data);
        int mid = 1 + random.nextInt(size - 50);
        assertThat(store.getRange("range", 0, 10)).isEqualTo(Arrays.copyOfRange(data, 0, 10));
        assertThat(store.getRange("range", mid, 40)).isEqualTo(Arrays.copyOfRange(data, mid, mid + 40));
        assertThat(store.getRange("range", 0, size)).isEqualTo(data);
        assertThat(store.getRange("range", size - 5, 100)).isEqualTo(Arrays.copyOfRange(data, size - 5, size));
        assertThat(store.getRange("range", size - 1, 1)).containsExactly(data[size - 1]);
        assertThat(store.getRange("range", size, 10)).isEmpty();
        assertThat(store.getRange("range", size + 1000L, 10)).isEmpty();
        assertThat(store.getRange("range", mid, 0)).isEmpty();
        store.put("empty", new byte[0]);
        assertThat(store.getRange("empty", 0, 10)).isEmpty();
        assertThatThrownBy(() -> store.getRange("range", -1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("range of key 'range' needs offset >= 0 and length >= 0; got offset -1, length 10");
        assertThatThrownBy(() -> store.getRange("range", 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingKeyIsObjectNotFound() throws IOException {
        store.put("here/a", new byte[] {1});
        for (String key : List.of("nothing", "here/b", "here", "here/a/deeper")) {
            assertThatThrownBy(() -> store.get(key))
                    .isInstanceOf(ObjectNotFoundException.class).hasMessage("no object at key '" + key + "'");
            assertThatThrownBy(() -> store.size(key)).isInstanceOf(ObjectNotFoundException.class);
            assertThatThrownBy(() -> store.getRange(key, 0, 10)).isInstanceOf(ObjectNotFoundException.class);
            assertThatThrownBy(() -> store.getRange(key, 0, 0)).isInstanceOf(ObjectNotFoundException.class);
        }
    }

    @Test
    void listOrdersKeysByteWise() throws IOException {
        // '-' (0x2D) < '.' (0x2E) < '/' (0x2F) < '0' (0x30): directories must sort as "name/".
        List<String> keys = List.of("ns/w", "ns/x-", "ns/x.y", "ns/x/1", "ns/x/2/3", "ns/x/2/4", "ns/x0", "ns/y",
                "other/z");
        for (String key : shuffled(keys, new Random(42))) {
            store.put(key, key.getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(store.list("", null, 100)).containsExactlyElementsOf(keys);
        assertThat(store.list("ns/", null, 100)).containsExactlyElementsOf(keys.subList(0, 8));
        assertThat(store.list("ns/x", null, 100))
                .containsExactly("ns/x-", "ns/x.y", "ns/x/1", "ns/x/2/3", "ns/x/2/4", "ns/x0");
        assertThat(store.list("ns/x/", null, 100)).containsExactly("ns/x/1", "ns/x/2/3", "ns/x/2/4");
        assertThat(store.list("ns/x/2", null, 100)).containsExactly("ns/x/2/3", "ns/x/2/4");
        assertThat(store.list("ns/", "ns/x.y", 100)).containsExactly("ns/x/1", "ns/x/2/3", "ns/x/2/4", "ns/x0", "ns/y");
        assertThat(store.list("ns/", "ns/x/1", 100)).containsExactly("ns/x/2/3", "ns/x/2/4", "ns/x0", "ns/y");
        assertThat(store.list("ns/", "ns/x/", 100)).containsExactly("ns/x/1", "ns/x/2/3", "ns/x/2/4", "ns/x0", "ns/y");
        assertThat(store.list("ns/", "ns/x/2", 2)).containsExactly("ns/x/2/3", "ns/x/2/4");
        assertThat(store.list("ns/", "ns/x", 3)).containsExactly("ns/x-", "ns/x.y", "ns/x/1");
        assertThat(store.list("ns/", "ns/x/2/4", 100)).containsExactly("ns/x0", "ns/y");
        assertThat(store.list("ns/", "a", 2)).containsExactly("ns/w", "ns/x-");
        assertThat(store.list("ns/", "ns/z", 100)).isEmpty();
        assertThat(store.list("ns/", "zzz", 100)).isEmpty();
        assertThat(store.list("ns/x/", "ns/x0", 100)).isEmpty();
        assertThat(store.list("ns/", null, 0)).isEmpty();
        assertThat(store.list("nope/", null, 100)).isEmpty();
        assertThat(store.list("n", null, 100)).containsExactlyElementsOf(keys.subList(0, 8));
        assertThat(store.list("ns/w/", null, 100)).isEmpty();
    }

    @Test
    void listMatchesASortedModel(Random random) throws IOException {
        TreeSet<String> model = new TreeSet<>();
        String[] parts = {"a", "b", "a-", "a.", "a0", "ab", "0", "1", "00"};
        int count = Seeded.atLeast(random, 60);
        for (int i = 0; i < count; i++) {
            var key = new StringBuilder("m");
            int depth = 1 + random.nextInt(3);
            for (int d = 0; d < depth; d++) {
                key.append('/').append(parts[random.nextInt(parts.length)]);
            }
            String k = key.toString();
            // A key cannot also be a directory of other keys on every backend (local files).
            boolean clash = model.stream().anyMatch(m -> m.startsWith(k + "/") || k.startsWith(m + "/"));
            if (!clash) {
                model.add(k);
                store.put(k, new byte[] {(byte) i});
            }
        }
        for (String k : List.copyOf(model)) {
            if (random.nextInt(5) == 0) {
                model.remove(k);
                store.delete(k); // leaves an empty directory behind on disk
            }
        }
        List<String> all = List.copyOf(model);
        for (int i = 0; i < 200; i++) {
            String base = all.isEmpty() ? "m/" : all.get(random.nextInt(all.size()));
            String prefix = base.substring(0, 1 + random.nextInt(base.length()));
            if (prefix.endsWith("/") && prefix.length() > 1 && random.nextBoolean()) {
                prefix = prefix.substring(0, prefix.length() - 1); // still valid: a partial segment
            }
            String after = switch (random.nextInt(4)) {
                case 0 -> null;
                case 1 -> all.isEmpty() ? null : all.get(random.nextInt(all.size()));
                case 2 -> base.substring(0, 1 + random.nextInt(base.length()));
                default -> base.substring(0, 1 + random.nextInt(base.length())) + parts[random.nextInt(parts.length)];
            };
            int limit = 1 + random.nextInt(12);
            String p = prefix;
            List<String> expected = model.stream()
                    .filter(k -> k.startsWith(p) && (after == null || k.compareTo(after) > 0))
                    .limit(limit).toList();
            assertThat(store.list(prefix, after, limit))
                    .as("list(%s, %s, %d)", prefix, after, limit)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void listPagesThroughManyKeys(Random random) throws Exception {
        int n = pagingKeyCount();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(String.format("page/%05d", i));
        }
        store.put("pagf", new byte[0]); // sorts right after the prefix "page/": must not leak in
        putAll(keys);
        assertThat(store.list("page/", null, Integer.MAX_VALUE)).containsExactlyElementsOf(keys);
        int pageSize = 7 + random.nextInt(150);
        List<String> paged = new ArrayList<>();
        String after = null;
        while (true) {
            List<String> page = store.list("page/", after, pageSize);
            assertThat(page.size()).isLessThanOrEqualTo(pageSize);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(page);
            after = page.getLast();
        }
        assertThat(paged).containsExactlyElementsOf(keys);
        // A prefix ending mid-segment, as for log slots: "page/000" holds "page/00000".."page/00099".
        assertThat(store.list("page/000", null, Integer.MAX_VALUE)).containsExactlyElementsOf(keys.subList(0, Math.min(100, n)));
        assertThat(store.list("page/", keys.get(n / 2), n)).containsExactlyElementsOf(keys.subList(n / 2 + 1, n));
    }

    @Test
    void deleteIsIdempotent() throws IOException {
        store.put("del/a", new byte[] {1});
        store.put("del/b", new byte[] {2});
        store.delete("del/a");
        assertThatThrownBy(() -> store.get("del/a")).isInstanceOf(ObjectNotFoundException.class);
        store.delete("del/a");
        store.delete("del/never");
        store.delete("never/existed/at/all");
        assertThat(store.list("del/", null, 10)).containsExactly("del/b");
        store.delete("del/b");
        assertThat(store.list("", null, 10)).isEmpty();
    }

    @Test
    void putIfAbsentCreatesOnlyOnce(Random random) throws IOException {
        byte[] first = randomBytes(random, 100);
        byte[] second = randomBytes(random, 50);
        assertThat(store.putIfAbsent("wal/00000000000000000001", first)).isTrue();
        assertThat(store.putIfAbsent("wal/00000000000000000001", second)).isFalse();
        assertThat(store.get("wal/00000000000000000001")).isEqualTo(first);
        store.put("wal/00000000000000000002", second);
        assertThat(store.putIfAbsent("wal/00000000000000000002", first)).isFalse();
        assertThat(store.get("wal/00000000000000000002")).isEqualTo(second);
        store.delete("wal/00000000000000000001");
        assertThat(store.putIfAbsent("wal/00000000000000000001", second)).isTrue();
        assertThat(store.get("wal/00000000000000000001")).isEqualTo(second);
        assertThat(store.list("wal/", null, 10))
                .containsExactly("wal/00000000000000000001", "wal/00000000000000000002");
    }

    /**
     * Writers race like write-ahead-log appenders: each tries slot {@code seq} and moves to
     * {@code seq + 1} whether it won or lost. Every slot must have exactly one winner, and the slot
     * must hold the winner's bytes.
     */
    @Test
    void racingPutIfAbsentHasExactlyOneWinnerPerSlot(Random random) throws Exception {
        int threads = 8;
        int slots = raceSlotCount();
        long salt = random.nextLong();
        Map<Integer, List<byte[]>> winners = new ConcurrentHashMap<>();
        var start = new CountDownLatch(1);
        List<Callable<Void>> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int writer = t;
            writers.add(() -> {
                start.await();
                for (int seq = 0; seq < slots; seq++) {
                    byte[] entry = ("writer " + writer + " slot " + seq + " salt " + salt)
                            .repeat(1 + (writer + seq) % 7).getBytes(StandardCharsets.US_ASCII);
                    if (store.putIfAbsent(slotKey(seq), entry)) {
                        winners.computeIfAbsent(seq, s -> new CopyOnWriteArrayList<>()).add(entry);
                    }
                }
                return null;
            });
        }
        runAll(writers, start);
        for (int seq = 0; seq < slots; seq++) {
            assertThat(winners.get(seq)).as("winners of slot %d", seq).hasSize(1);
            assertThat(store.get(slotKey(seq))).as("bytes of slot %d", seq).isEqualTo(winners.get(seq).getFirst());
        }
        assertThat(store.list("race/", null, Integer.MAX_VALUE)).hasSize(slots);
    }

    /** Readers racing an overwriting writer see one whole version, never a mix or a prefix. */
    @Test
    void readersNeverSeePartialObjects(Random random) throws Exception {
        int versions = 40;
        int baseSize = 1000 + random.nextInt(50_000);
        store.put("torn", version(0, baseSize));
        var done = new AtomicBoolean();
        var start = new CountDownLatch(1);
        List<Callable<Void>> tasks = new ArrayList<>();
        tasks.add(() -> {
            start.await();
            try {
                for (int v = 1; v < versions; v++) {
                    store.put("torn", version(v, baseSize));
                }
            } finally {
                done.set(true);
            }
            return null;
        });
        for (int r = 0; r < 2; r++) {
            tasks.add(() -> {
                start.await();
                while (!done.get()) {
                    byte[] seen = store.get("torn");
                    int v = seen[0];
                    assertThat(seen).as("version %d", v).isEqualTo(version(v, baseSize));
                }
                return null;
            });
        }
        runAll(tasks, start);
        assertThat(store.get("torn")).isEqualTo(version(versions - 1, baseSize));
    }

    @Test
    void invalidKeysAreRejected() {
        List<String> bad = List.of("", "/abs", "a//b", "a/", "./a", "a/./b", "..", "../x", "a/../b", "a\\b",
                "a\u0000b", "tab\tkey", "caf\u00e9", "x".repeat(1025), "a/" + "y".repeat(256));
        for (String key : bad) {
            assertThatThrownBy(() -> store.put(key, new byte[1])).as("put %s", key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.putIfAbsent(key, new byte[1])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.getRange(key, 0, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.size(key)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.put(null, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("object key must not be null");
        assertThatThrownBy(() -> store.get("a/../b")).hasMessage("object key 'a/../b' has a '..' segment");
        assertThatThrownBy(() -> store.get("a\\b"))
                .hasMessage("object key 'a\\b' has character U+005C at index 1; only printable ASCII except '\\' is allowed");
        assertThatThrownBy(() -> store.get("a//b"))
                .hasMessage("object key 'a//b' has an empty segment (leading, trailing or double '/')");
        assertThatThrownBy(() -> store.list("/a", null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("../", null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("a//b", null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("a", null, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("list limit must be >= 0; got -1");
    }

    @Test
    void filesGoInAndComeOut(Random random, @TempDir Path dir) throws IOException {
        byte[] big = randomBytes(random, 300_000 + random.nextInt(300_000));
        Path source = Files.write(dir.resolve("source"), big);
        store.putFile("seg/1/vectors", source);
        assertThat(store.get("seg/1/vectors")).isEqualTo(big);
        assertThat(store.size("seg/1/vectors")).isEqualTo(big.length);
        byte[] small = randomBytes(random, 100);
        store.putFile("seg/1/vectors", Files.write(dir.resolve("small"), small));
        assertThat(store.get("seg/1/vectors")).isEqualTo(small);

        store.put("seg/1/docs", big);
        Path copy = dir.resolve("copy");
        store.getToFile("seg/1/docs", copy);
        assertThat(copy).hasBinaryContent(big);
        store.getToFile("seg/1/vectors", copy); // replaces a longer file entirely
        assertThat(copy).hasBinaryContent(small);

        Path absent = dir.resolve("absent");
        assertThatThrownBy(() -> store.getToFile("seg/1/nothing", absent))
                .isInstanceOf(ObjectNotFoundException.class).hasMessage("no object at key 'seg/1/nothing'");
        assertThat(absent).doesNotExist();
        assertThat(store.list("seg/", null, 10)).containsExactly("seg/1/docs", "seg/1/vectors");
        Optional<Path> local = store.localPath("seg/1/docs");
        if (local.isPresent()) {
            assertThat(local.get()).hasBinaryContent(big);
        }
    }

    @Test
    void describeNamesTheStore() {
        assertThat(store.describe()).isNotBlank();
    }

    /** Writes every key (value: the key's bytes) from a few threads. */
    protected void putAll(List<String> keys) throws Exception {
        List<Callable<Void>> tasks = new ArrayList<>();
        int threads = 4;
        for (int t = 0; t < threads; t++) {
            int first = t;
            tasks.add(() -> {
                for (int i = first; i < keys.size(); i += threads) {
                    store.put(keys.get(i), keys.get(i).getBytes(StandardCharsets.US_ASCII));
                }
                return null;
            });
        }
        runAll(tasks, null);
    }

    /** Runs the tasks on their own threads, opens {@code start} (if any), and rethrows the first failure. */
    protected static void runAll(List<Callable<Void>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(pool.submit(task));
            }
            if (start != null) {
                start.countDown();
            }
            for (Future<Void> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    protected static byte[] randomBytes(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    private static String slotKey(int seq) {
        return String.format("race/wal/%020d", seq);
    }

    /** Version {@code v}: every byte is {@code v}, and the length depends on {@code v}. */
    private static byte[] version(int v, int baseSize) {
        byte[] data = new byte[baseSize + v * 997 % 5000];
        Arrays.fill(data, (byte) v);
        return data;
    }

    private static List<String> shuffled(List<String> list, Random random) {
        var copy = new ArrayList<>(list);
        java.util.Collections.shuffle(copy, random);
        return copy;
    }
}
