package io.lodestone.http.quartz;

import io.lodestone.store.ObjectStore;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Numeric ids for QuartzDB v1 inserts that no two servers of a bucket ever hand out twice. Ids come in blocks of
 * {@value #BLOCK}: block {@code b} holds ids {@code b·BLOCK + 1 .. (b + 1)·BLOCK}. A server claims the block after the
 * highest claimed one by creating its object ({@code _system/quartzdb-ids/{tenant}/{index}/{b}}) with create-if-absent,
 * so of two servers racing for a block exactly one gets it, and then hands out its ids one by one. A block a
 * server stops using (it restarts, or another server claimed later blocks) leaves a gap, never a repeat; an index
 * deleted and created again goes on after its last block, so an id never names two different vectors.
 */
final class IdBlocks {
    static final String ROOT = "_system/quartzdb-ids/";
    static final long BLOCK = 1024;

    private final ObjectStore store;
    private final ReentrantLock[] locks = new ReentrantLock[64];
    /** Per tenant/index: the next id of this server's block and the block's last id (changed under the key's lock). */
    private final Map<String, long[]> claimed = new ConcurrentHashMap<>();

    IdBlocks(ObjectStore store) {
        this.store = store;
        for (int i = 0; i < locks.length; i++) locks[i] = new ReentrantLock();
    }

    /** An id no server has handed out for this tenant's index. */
    long next(String tenant, String index) throws IOException {
        String prefix = ROOT + tenant + "/" + index + "/";
        ReentrantLock lock = locks[Math.floorMod(prefix.hashCode(), locks.length)];
        lock.lock();
        try {
            long[] range = claimed.get(prefix);
            if (range == null || range[0] > range[1]) {
                long block = claim(prefix);
                range = new long[] {block * BLOCK + 1, (block + 1) * BLOCK};
                claimed.put(prefix, range);
            }
            return range[0]++;
        } finally {
            lock.unlock();
        }
    }

    /** Claims the first block after every block claimed so far (by any server); returns its number. */
    private long claim(String prefix) throws IOException {
        while (true) {
            long block = highest(prefix) + 1;
            if (store.putIfAbsent(prefix + name(block), new byte[0])) return block;
            // another server claimed it first: look again
        }
    }

    /** The highest claimed block, or -1. */
    private long highest(String prefix) throws IOException {
        long highest = -1;
        String after = null;
        for (List<String> page; !(page = store.list(prefix, after, 1000)).isEmpty(); after = page.getLast()) {
            highest = Math.max(highest, Long.parseLong(page.getLast().substring(prefix.length())));
        }
        return highest;
    }

    /** Fixed width, so the store lists blocks in numeric order. */
    private static String name(long block) {
        return String.format(Locale.ROOT, "%019d", block);
    }
}
