package io.lodestone.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.lodestone.testing.Seeded;
import io.lodestone.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Crash durability: the real server runs as a separate JVM; several writer threads hammer it with
 * write requests while it is killed with SIGKILL at a random (seeded) moment; it is restarted on
 * the same data directory and the whole namespace is read back and checked against a model. This
 * repeats for several rounds.
 *
 * <h2>The workload</h2>
 * Every write request {@code r} (numbered globally, so {@code r} is also the value written):
 * <ul>
 *   <li>upserts {@value #UNIQUE_PER_REQUEST} <b>unique</b> rows whose ids nobody else ever writes
 *       ({@code UNIQUE_BASE + r * UNIQUE_PER_REQUEST + j}), each with attribute {@code req = r};</li>
 *   <li>upserts 2 <b>shared</b> ids drawn from a small pool {@code 1..SHARED_IDS} with {@code req = r}
 *       (so several requests, acknowledged or not, race on the same ids);</li>
 *   <li>sometimes deletes one other shared id, and sometimes one old unique row that an earlier
 *       round left behind.</li>
 * </ul>
 * A request never touches the same id twice. The test records for each request the moment it was
 * sent ({@code sentAt}) and, if it got a 200, the moment the answer arrived ({@code ackedAt}).
 *
 * <h2>The model (checked after every restart)</h2>
 * The state observed at the start of a round is the <i>baseline</i> (already checked). During the
 * round each request is either <b>acknowledged</b> (200), and must then be applied, or
 * <b>unacknowledged</b> (in flight at the kill, refused, failed), and may be applied or not, but
 * <b>atomically</b>.
 * <ol>
 *   <li><b>Which requests were applied.</b> The unique rows of {@code r} are written by {@code r}
 *       alone, so {@code r} was applied iff they are visible. An acknowledged request must have all
 *       of them visible with {@code req = r}. An unacknowledged one must have all or none
 *       (atomicity).</li>
 *   <li><b>Real-time order.</b> The server applies writes one after another. If request {@code C}
 *       was acknowledged before request {@code D} was sent ({@code C.ackedAt < D.sentAt}), the server
 *       applied {@code C} before {@code D}. Writes are linearizable, as they are on turbopuffer.</li>
 *   <li><b>The last writer of an id.</b> For an id {@code X} touched this round, the candidate
 *       operations are the baseline value of {@code X} (or its absence), treated as acknowledged
 *       before everything, plus every operation on {@code X} by an <i>applied</i> request. The last
 *       operation the server applied to {@code X} is applied, and no acknowledged operation on
 *       {@code X} can have been sent after it was acknowledged, since that one would be later still.
 *       So the final state of {@code X} is the outcome (value {@code r}, or absent for a delete) of a
 *       candidate {@code C} for which <b>no acknowledged operation {@code D} on {@code X} has
 *       {@code C.ackedAt < D.sentAt}</b>. For an unacknowledged {@code C}, {@code ackedAt} is
 *       infinite. In words: the value is one of those written at or after the last acknowledgement
 *       that certainly precedes it, and an acknowledged delete with nothing after it leaves the id
 *       absent. This also covers atomicity across rows: a value {@code r} on a shared id is allowed
 *       only if {@code r}'s unique rows are visible too.</li>
 *   <li><b>Nothing else changes.</b> Ids not touched this round keep their baseline state, and no
 *       id appears that no request wrote.</li>
 * </ol>
 * After the check, the observed state becomes the next round's baseline, so a request's fate,
 * once observed, must not change at later restarts.
 */
@ExtendWith(Seeded.class)
class TestKillDurability {

    private static final String NS = "kill-durability";
    private static final int ROUNDS = 5;
    private static final int WRITERS = 4;
    private static final int UNIQUE_PER_REQUEST = 4;
    private static final int SHARED_PER_REQUEST = 2;
    private static final long SHARED_IDS = 16;
    private static final long UNIQUE_BASE = 1_000_000;
    private static final int MAX_REQUESTS_PER_WRITER_PER_ROUND = 1500;
    private static final int DIM = 4;
    /** Read-back page size (the tests' query top_k limit is 10,000). */
    private static final int PAGE = 2_000;

    @TempDir
    Path tmp;

    /** One write request and what happened to it. {@code ackedAt == Long.MAX_VALUE}: not acknowledged. */
    record Req(long id, List<Long> uniqueIds, List<Long> upserts, List<Long> deletes,
               long sentAt, long ackedAt, String outcome) {
        boolean acked() { return ackedAt != Long.MAX_VALUE; }
    }

    @Test
    void acknowledgedWritesSurviveKill9AndUnacknowledgedWritesAreAtomic(Random random) throws Exception {
        AtomicLong nextRequest = new AtomicLong(1);
        Map<Long, Long> baseline = new TreeMap<>();
        List<Req> roundRequests = List.of();
        int totalAcked = 0;

        try (ServerProcess server = new ServerProcess(tmp, InProcessServer.environment(tmp, Map.of()))) {
            for (int round = 0; ; round++) {
                server.start();
                assertListeningLine(server);
                Map<Long, Long> observed;
                try (Json.Http http = new Json.Http(server.baseUrl(), Duration.ofSeconds(30))) {
                    observed = readAll(http);
                }
                if (round == 0) {
                    assertThat(observed).as("fresh data directory").isEmpty();
                } else {
                    verifyRound(round, baseline, roundRequests, observed);
                }
                if (round == ROUNDS) break;

                baseline = observed;
                long killAfterMillis = 250 + random.nextInt(1000);
                roundRequests = runWritersAndKill(server, baseline, nextRequest, random.nextLong(), killAfterMillis);
                long acked = roundRequests.stream().filter(Req::acked).count();
                totalAcked += (int) acked;
                System.out.printf("kill-durability round %d: %d rows before, %d write requests, %d acknowledged,"
                        + " SIGKILL after %d ms%n", round, baseline.size(), roundRequests.size(), acked, killAfterMillis);
            }
        }
        assertThat(totalAcked).as("acknowledged writes over all rounds").isPositive();
    }

    // ---------------------------------------------------------------- workload

    private List<Req> runWritersAndKill(ServerProcess server, Map<Long, Long> baseline, AtomicLong nextRequest,
                                        long seed, long killAfterMillis) throws InterruptedException {
        List<Long> oldUniqueIds = baseline.keySet().stream().filter(id -> id >= UNIQUE_BASE).toList();
        ConcurrentLinkedQueue<Req> done = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Random seeds = new Random(seed);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            Random rnd = new Random(seeds.nextLong());
            Json.Http http = new Json.Http(server.baseUrl(), Duration.ofSeconds(10));
            Thread t = new Thread(() -> {
                try (http) {
                    writerLoop(http, rnd, oldUniqueIds, nextRequest, stop, done, unexpected);
                }
            }, "writer-" + w);
            writers.add(t);
        }
        writers.forEach(Thread::start);
        Thread.sleep(killAfterMillis);
        int exit = server.kill();
        stop.set(true);
        for (Thread t : writers) {
            t.join(Duration.ofSeconds(60));
            assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
        }
        // destroyForcibly() is SIGKILL on Linux: the JVM gets no chance to run shutdown hooks.
        assertThat(exit).as("exit status of a JVM killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(unexpected).as("answers that are neither 200 nor a crash symptom").isEmpty();
        return new ArrayList<>(done);
    }

    private static void writerLoop(Json.Http http, Random rnd, List<Long> oldUniqueIds, AtomicLong nextRequest,
                                   AtomicBoolean stop, ConcurrentLinkedQueue<Req> done,
                                   ConcurrentLinkedQueue<String> unexpected) {
        for (int n = 0; n < MAX_REQUESTS_PER_WRITER_PER_ROUND && !stop.get(); n++) {
            long r = nextRequest.getAndIncrement();
            List<Long> unique = new ArrayList<>();
            for (int j = 0; j < UNIQUE_PER_REQUEST; j++) unique.add(UNIQUE_BASE + r * UNIQUE_PER_REQUEST + j);
            Set<Long> shared = new LinkedHashSet<>();
            while (shared.size() < SHARED_PER_REQUEST) shared.add(1 + (long) rnd.nextInt((int) SHARED_IDS));
            List<Long> deletes = new ArrayList<>();
            if (rnd.nextInt(4) == 0) {
                long d;
                do {
                    d = 1 + rnd.nextInt((int) SHARED_IDS);
                } while (shared.contains(d));
                deletes.add(d);
            }
            if (!oldUniqueIds.isEmpty() && rnd.nextInt(6) == 0) {
                deletes.add(oldUniqueIds.get(rnd.nextInt(oldUniqueIds.size())));
            }

            List<Map<String, Object>> rows = new ArrayList<>();
            for (long id : unique) rows.add(row(id, r, rnd));
            for (long id : shared) rows.add(row(id, r, rnd));
            Map<String, Object> body = Json.obj("upsert_rows", rows, "distance_metric", "euclidean_squared");
            if (!deletes.isEmpty()) body.put("deletes", deletes);

            long sentAt = System.nanoTime();
            long ackedAt = Long.MAX_VALUE;
            String outcome;
            try {
                Json.Response resp = http.post("/v2/namespaces/" + NS, body);
                if (resp.status() == 200) {
                    ackedAt = System.nanoTime();
                } else if (resp.status() / 100 == 4 && resp.status() != 429 && resp.status() != 408) {
                    unexpected.add("request " + r + ": " + resp);
                }
                outcome = Integer.toString(resp.status());
            } catch (UncheckedIOException e) {
                outcome = e.getCause().toString();
            }
            done.add(new Req(r, unique, List.copyOf(shared), deletes, sentAt, ackedAt, outcome));
            if (ackedAt == Long.MAX_VALUE && stop.get()) return;
        }
    }

    private static Map<String, Object> row(long id, long req, Random rnd) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) v[i] = rnd.nextFloat();
        return Json.obj("id", id, "vector", Json.vec(v), "req", req);
    }

    // ---------------------------------------------------------------- read back

    /** The whole namespace as id → req, paging by id ({@code rank_by id asc} + {@code id Gt last}). */
    static Map<Long, Long> readAll(Json.Http http) {
        Map<Long, Long> all = new TreeMap<>();
        Long last = null;
        while (true) {
            Map<String, Object> q = Json.obj("rank_by", List.of("id", "asc"), "top_k", PAGE,
                    "include_attributes", List.of("req"));
            if (last != null) q.put("filters", List.of("id", "Gt", last));
            Json.Response resp = http.post("/v2/namespaces/" + NS + "/query", q);
            if (resp.status() == 404 && last == null) return all;   // nothing was ever written
            assertThat(resp.status()).as("read-back query: %s", resp).isEqualTo(200);
            JsonNode rows = resp.json().path("rows");
            assertThat(rows.isArray()).as("rows in %s", resp).isTrue();
            for (JsonNode row : rows) {
                long id = row.get("id").asLong();
                if (last != null) assertThat(id).as("ids ascending").isGreaterThan(last);
                JsonNode req = row.get("req");
                assertThat(req != null && req.isIntegralNumber()).as("req of id %d: %s", id, row).isTrue();
                assertThat(all.put(id, req.asLong())).as("id %d returned twice", id).isNull();
                last = id;
            }
            if (rows.size() < PAGE) return all;
        }
    }

    // ---------------------------------------------------------------- the check

    private static void verifyRound(int round, Map<Long, Long> baseline, List<Req> requests, Map<Long, Long> observed) {
        List<String> errors = new ArrayList<>();
        Map<Long, Req> byId = new HashMap<>();
        for (Req r : requests) byId.put(r.id(), r);

        // 1. Which requests were applied, judged by their unique rows.
        Set<Long> applied = new HashSet<>();
        Set<Long> freshIds = new HashSet<>();
        for (Req r : requests) {
            int visible = 0;
            for (long id : r.uniqueIds()) {
                freshIds.add(id);
                Long v = observed.get(id);
                if (v == null) continue;
                if (v != r.id()) {
                    errors.add("unique id " + id + " of request " + r.id() + " holds req=" + v);
                } else {
                    visible++;
                }
            }
            if (r.acked() && visible != r.uniqueIds().size()) {
                errors.add("acknowledged request " + r.id() + " lost rows: " + visible + "/" + r.uniqueIds().size()
                        + " unique rows visible " + describe(r));
            } else if (!r.acked() && visible != 0 && visible != r.uniqueIds().size()) {
                errors.add("unacknowledged request " + r.id() + " is partially visible: " + visible + "/"
                        + r.uniqueIds().size() + " unique rows " + describe(r));
            }
            if (visible == r.uniqueIds().size()) applied.add(r.id());
        }

        // 2./3. Every id touched this round ends up as the outcome of an allowed candidate.
        record Op(Req req, boolean delete) {}
        Map<Long, List<Op>> opsById = new TreeMap<>();
        for (Req r : requests) {
            for (long id : r.upserts()) opsById.computeIfAbsent(id, k -> new ArrayList<>()).add(new Op(r, false));
            for (long id : r.deletes()) opsById.computeIfAbsent(id, k -> new ArrayList<>()).add(new Op(r, true));
        }
        for (var e : opsById.entrySet()) {
            long id = e.getKey();
            List<Op> ops = e.getValue();
            long lastAckedSend = Long.MIN_VALUE; // the latest sentAt of an acknowledged op on this id
            for (Op op : ops) if (op.req().acked()) lastAckedSend = Math.max(lastAckedSend, op.req().sentAt());
            Set<Long> allowedValues = new TreeSet<>();   // allowed req values; -1 stands for "absent"
            // The baseline counts as acknowledged before everything: allowed iff no acked op touched the id.
            boolean anyAcked = lastAckedSend != Long.MIN_VALUE;
            if (!anyAcked) allowedValues.add(baseline.getOrDefault(id, -1L));
            for (Op op : ops) {
                if (!applied.contains(op.req().id())) continue;
                boolean supersededByLaterAck = op.req().ackedAt() < lastAckedSend;
                if (!supersededByLaterAck) allowedValues.add(op.delete() ? -1L : op.req().id());
            }
            long actual = observed.getOrDefault(id, -1L);
            if (!allowedValues.contains(actual)) {
                StringBuilder sb = new StringBuilder("id " + id + " is " + (actual == -1 ? "absent" : "req=" + actual)
                        + " but allowed are " + allowedValues + " (-1 = absent); baseline "
                        + baseline.getOrDefault(id, -1L) + "; ops:");
                for (Op op : ops) {
                    sb.append("\n    ").append(op.delete() ? "delete" : "upsert").append(" by ")
                            .append(describe(op.req())).append(applied.contains(op.req().id()) ? " applied" : " not applied");
                }
                errors.add(sb.toString());
            }
        }

        // 4. Nothing else changed, and nothing came from nowhere.
        Set<Long> ids = new TreeSet<>(baseline.keySet());
        ids.addAll(observed.keySet());
        for (long id : ids) {
            if (opsById.containsKey(id) || freshIds.contains(id)) continue;
            Long before = baseline.get(id);
            Long after = observed.get(id);
            if (before == null) {
                errors.add("id " + id + " (req=" + after + ") appeared though no request of this round wrote it");
            } else if (!before.equals(after)) {
                errors.add("untouched id " + id + " changed from req=" + before + " to "
                        + (after == null ? "absent" : "req=" + after));
            }
        }

        if (!errors.isEmpty()) {
            long acked = requests.stream().filter(Req::acked).count();
            fail("round " + round + ": " + errors.size() + " violation(s) among " + requests.size() + " requests ("
                    + acked + " acknowledged, " + applied.size() + " applied):\n  "
                    + String.join("\n  ", errors.subList(0, Math.min(errors.size(), 40))));
        }
    }

    private static String describe(Req r) {
        return "#" + r.id() + "[" + (r.acked() ? "acked" : "unacked:" + r.outcome()) + ", upserts " + r.upserts()
                + ", deletes " + r.deletes() + "]";
    }

    // ---------------------------------------------------------------- contract checks

    /** The CLI prints {@code Lodestone listening on http://HOST:PORT} once it serves. */
    private static void assertListeningLine(ServerProcess server) throws InterruptedException {
        String expected = "Lodestone listening on http://127.0.0.1:" + server.port();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!server.log().contains(expected) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(server.log()).as("server output").contains(expected);
    }
}
