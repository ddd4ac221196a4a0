package io.lodestone.store;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract suite on {@link LocalObjectStore}, plus what only files can get wrong. */
class TestLocalObjectStore extends BaseObjectStoreTestCase {

    @TempDir
    Path tmp;

    private Path root;

    @Override
    protected ObjectStore newStore() throws IOException {
        root = tmp.resolve("root");
        return new LocalObjectStore(root);
    }

    @Test
    void keysCannotEscapeTheRoot() throws IOException {
        Files.writeString(tmp.resolve("secret"), "outside");
        List<String> attempts = List.of("../secret", "../../etc/passwd", "a/../../secret", "/etc/passwd",
                "..\\secret", "a\\..\\..\\secret", ".", "..", "./secret", "a/./../secret", "a//secret",
                "secret\u0000.txt", ".tmp", ".tmp/x", "");
        for (String key : attempts) {
            assertThatThrownBy(() -> store.put(key, new byte[] {1})).as("put %s", key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.get(key)).as("get %s", key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as("delete %s", key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.put(".tmp/x", new byte[1])).hasMessage(
                "object key '.tmp/x' is reserved: '.tmp/' holds the local store's temporary files");
        assertThat(Files.readString(tmp.resolve("secret"))).isEqualTo("outside");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("root", "secret");
        }
    }

    @Test
    void temporaryFilesAreNeverListed(Random random) throws Exception {
        Files.writeString(root.resolve(".tmp/stray.tmp"), "partial");
        var done = new AtomicBoolean();
        List<Callable<Void>> tasks = new ArrayList<>();
        tasks.add(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    store.put("obj/" + i, randomBytes(new Random(i), 5000));
                }
            } finally {
                done.set(true);
            }
            return null;
        });
        tasks.add(() -> {
            while (!done.get()) {
                for (String key : store.list("", null, Integer.MAX_VALUE)) {
                    assertThat(key).startsWith("obj/");
                }
            }
            return null;
        });
        runAll(tasks, null);
        assertThat(store.list("", null, Integer.MAX_VALUE)).hasSize(100).allMatch(k -> k.startsWith("obj/"));
        assertThat(store.list(".tmp/", null, 10)).isEmpty();
        assertThat(store.list(".", null, 10)).isEmpty();
        assertThat(store.list(".t", null, 10)).isEmpty();
    }

    @Test
    void reopeningRemovesWhatACrashLeftBehind() throws IOException {
        store.put("kept/a", new byte[] {7});
        store.close();
        Path staging = root.resolve(".tmp");
        Files.writeString(staging.resolve("loose.tmp"), "x");
        Path crashed = Files.createDirectories(staging.resolve("0b7e4a6c-crashed"));
        Files.writeString(crashed.resolve("1.tmp"), "half-written");
        Files.createFile(staging.resolve("0b7e4a6c-crashed.lock"));
        Files.writeString(Files.createDirectories(staging.resolve("orphan-without-lock")).resolve("2.tmp"), "y");

        store = new LocalObjectStore(root);

        try (Stream<Path> left = Files.list(staging)) {
            // only the reopened store's own directory and lock remain, and the change counter shared by all
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LocalChangeCounter.FILE_NAME)))
                    .hasSize(2).noneMatch(n -> n.startsWith("0b7e4a6c") || n.startsWith("orphan") || n.startsWith("loose"));
        }
        assertThat(store.get("kept/a")).containsExactly(7);
        assertThat(store.list("", null, 10)).containsExactly("kept/a");
    }

    @Test
    void aSecondStoreOnTheSameRootKeepsTheFirstOnesFilesInFlight() throws IOException {
        Path staging = root.resolve(".tmp");
        List<Path> before;
        try (Stream<Path> s = Files.list(staging)) {
            before = s.toList();
        }
        // a file the first store is still writing, then a second store opens the root
        Path ownDir = before.stream().filter(Files::isDirectory).findFirst().orElseThrow();
        Path inFlight = Files.writeString(ownDir.resolve("in-flight.tmp"), "x");
        try (var second = new LocalObjectStore(root)) {
            assertThat(inFlight).exists();
            second.put("from/second", new byte[] {2});
            store.put("from/first", new byte[] {1});
            assertThat(store.get("from/second")).containsExactly(2);
            assertThat(second.putIfAbsent("from/first", new byte[] {3})).isFalse();
        }
        assertThat(inFlight).exists();
        assertThat(store.list("", null, 10)).containsExactly("from/first", "from/second");
    }

    @Test
    void everyStoreOnARootCountsEveryChange() throws IOException {
        ChangeCounter mine = store.changes().orElseThrow(); // the temporary directory is on a local file system
        long start = mine.current();
        try (var second = new LocalObjectStore(root)) {
            second.put("a", new byte[] {1});
            assertThat(mine.current()).as("a put by another store on the root").isEqualTo(start + 1);
            assertThat(second.putIfAbsent("a", new byte[] {2})).isFalse();
            second.delete("missing");
            assertThat(mine.current()).as("nothing changed").isEqualTo(start + 1);
            second.putIfAbsent("b", new byte[] {3});
            second.delete("a");
            Path file = Files.writeString(tmp.resolve("file"), "x");
            second.putFile("c", file);
            assertThat(mine.current()).isEqualTo(start + 4);
        }
        try (var third = new LocalObjectStore(root)) { // opening cleans staging but keeps the count
            assertThat(third.changes().orElseThrow().current()).isEqualTo(start + 4);
            store.put("d", new byte[] {4});
            assertThat(third.changes().orElseThrow().current()).isEqualTo(start + 5);
        }
    }

    @Test
    void aKeyCannotAlsoBeADirectoryOfKeys() throws IOException {
        store.put("a", new byte[] {1});
        assertThatThrownBy(() -> store.put("a/b", new byte[] {2}))
                .isInstanceOf(IOException.class).hasMessageContaining("'a/b'").hasMessageContaining("'a' is itself an object");
        store.put("c/d", new byte[] {3});
        assertThatThrownBy(() -> store.put("c", new byte[] {4}))
                .isInstanceOf(IOException.class).hasMessageContaining("key 'c'").hasMessageContaining("prefix of other keys");
        assertThatThrownBy(() -> store.putIfAbsent("c", new byte[] {4}))
                .isInstanceOf(IOException.class).hasMessageContaining("key 'c'").hasMessageContaining("prefix of other keys");
        assertThatThrownBy(() -> store.get("c")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.size("c")).isInstanceOf(ObjectNotFoundException.class);
        store.delete("c");
        assertThat(store.list("", null, 10)).containsExactly("a", "c/d");
        try (Stream<Path> staged = Files.walk(root.resolve(".tmp"))) {
            assertThat(staged.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.endsWith(".lock") || n.equals(LocalChangeCounter.FILE_NAME)); // failed puts removed their temporary files
        }
    }

    @Test
    void listsOneLargeDirectory(Random random) throws IOException {
        // Files made directly (no fsync), as a store would have written them over time.
        int n = Seeded.atLeast(random, 3_000);
        Path dir = Files.createDirectories(root.resolve("ns/wal"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format("%020d", i);
            Files.createFile(dir.resolve(name));
            keys.add("ns/wal/" + name);
        }
        Files.createDirectories(root.resolve("ns/walrus/x"));
        Files.createFile(root.resolve("ns/walrus/x/y"));
        assertThat(store.list("ns/wal/", null, 1000)).containsExactlyElementsOf(keys.subList(0, 1000));
        assertThat(store.list("ns/wal/", keys.get(n - 5), 1000)).containsExactlyElementsOf(keys.subList(n - 4, n));
        assertThat(store.list("ns/wal/0000000000000000001", null, 3))
                .containsExactly("ns/wal/00000000000000000010", "ns/wal/00000000000000000011", "ns/wal/00000000000000000012");
        List<String> paged = new ArrayList<>();
        String after = null;
        for (List<String> page; !(page = store.list("ns/wal", after, 700)).isEmpty(); after = page.getLast()) {
            paged.addAll(page);
        }
        List<String> expected = new ArrayList<>(keys);
        expected.add("ns/walrus/x/y");
        assertThat(paged).containsExactlyElementsOf(expected);
    }

    @Test
    void objectBytesAreOnDiskUnderTheRoot() throws IOException {
        store.put("ns/seg/1/vectors", new byte[] {1, 2, 3});
        assertThat(root.resolve("ns/seg/1/vectors")).hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(store.describe()).isEqualTo("local:" + root.toAbsolutePath().normalize());
        // a file the store did not write, with a name no key can have, is skipped
        try (var ch = FileChannel.open(root.resolve("ns/seg/1/bad\\name"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            assertThat(ch.isOpen()).isTrue();
        }
        assertThat(store.list("ns/", null, 10)).containsExactly("ns/seg/1/vectors");
    }
}
