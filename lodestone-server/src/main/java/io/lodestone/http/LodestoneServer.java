package io.lodestone.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.lodestone.config.CorsConfig;
import io.lodestone.config.IndexingConfig;
import io.lodestone.config.LodestoneConfig;
import io.lodestone.config.ServerConfig;
import io.lodestone.config.StorageConfig;
import io.lodestone.engine.EngineOptions;
import io.lodestone.engine.Lodestone;
import io.lodestone.http.tpuf.TurbopufferService;
import io.lodestone.doc.IndexConfig;
import io.lodestone.http.vecpuff.VecPuffService;
import io.lodestone.store.ObjectStore;
import io.lodestone.store.ObjectStores;
import io.lodestone.store.StorageOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.regex.Pattern;

/** The Lodestone HTTP server: one Helidon web server over one database. */
public final class LodestoneServer implements AutoCloseable {
    /** Longest request line (method, path with query, version); longer ones get 414. */
    public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;
    /** Largest header block; larger ones get 431. */
    /** Socket receive buffer of each connection (see the server builder). */
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern ENCODED_PATH_ESCAPE = Pattern.compile("(?i)%2f|%5c|%2e|%00|//");

    private final ObjectStore store;
    private final Lodestone db;
    private final WebServer server;

    private LodestoneServer(ObjectStore store, Lodestone db, WebServer server) {
        this.store = store;
        this.db = db;
        this.server = server;
    }

    /** Opens the storage the configuration names and starts serving. */
    public static LodestoneServer start(LodestoneConfig config) {
        Tls tls = ServerTls.from(config.tls()); // before storage opens: bad certificate files stop start-up here
        ObjectStore store;
        try {
            store = ObjectStores.open(storageOptions(config.storage()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open storage: " + e.getMessage(), e);
        }
        Lodestone db = Lodestone.open(store, engineOptions(config));
        ServerConfig sc = config.server();
        ServerLimits limits = new ServerLimits(sc.maxBodyBytes(), config.limits().maxTopK(),
                config.limits().maxBatchRows(), config.limits().maxQueriesPerRequest(),
                config.limits().maxNamespaceNameLength(), config.limits().maxAttributeValueBytes(),
                config.limits().maxDimensions(), sc.requestTimeout());
        HeadDeadline headDeadline = new HeadDeadline(sc.requestTimeout());
        WebServer server = WebServer.builder()
                .host(sc.host())
                .port(sc.port())
                .tls(tls)
                .maxPayloadSize(-1) // RequestBody enforces server.max_body_bytes (after decompression) with a JSON 413
                // Without an explicit size the accepted sockets had an 8 KB receive buffer (`ss -tm`: rb8192, no
                // autotuning): a 4 MB write body then crawled in 2-4 KB pieces, 42-46 ms against 5 ms into a plain
                // socket. An explicit size also turns autotuning off, so it is as large as an ingest body needs;
                // the kernel only holds that memory while a client sends faster than its request is read.
                .connectionOptions(TlsSocketOptions.around(io.helidon.common.socket.SocketOptions.builder()
                        .socketReceiveBufferSize(RECEIVE_BUFFER_BYTES).build(), tls, sc.idleTimeout()))
                .contentEncoding(new PassThroughEncoding())
                .directHandlers(JsonDirectHandler.all(MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES))
                .errorHandling(e -> e.includeEntity(true))
                .addProtocol(Http1Config.builder()
                        .maxPrologueLength(MAX_REQUEST_LINE_BYTES)
                        .maxHeadersSize(MAX_HEADER_BYTES)
                        .addReceiveListener(headDeadline)
                        .build())
                // A connection with no request in progress for idle_timeout_seconds is closed, also while it
                // trickles a request line; headers and body are bounded by HeadDeadline and RequestBody.
                .idleConnectionTimeout(sc.idleTimeout())
                .idleConnectionPeriod(Duration.ofMillis(Math.min(sc.idleTimeout().toMillis(), 1000)))
                .routing(r -> routing(r, db, limits, config.cors()))
                .build()
                .start();
        return new LodestoneServer(store, db, server);
    }

    /** The whole HTTP surface; tests use the same table. */
    static void routing(HttpRouting.Builder routing, Lodestone db, ServerLimits limits, CorsConfig cors) {
        CorsFilter.register(routing, cors); // first: preflights end before anything that needs credentials
        new HttpMetrics(db).register(routing);
        routing.any((req, res) -> {
            if (ENCODED_PATH_ESCAPE.matcher(req.path().rawPath()).find()) {
                ErrorResponses.send(res, Status.BAD_REQUEST_400,
                        "empty path segments and encoded '/', '\\', '.' or NUL characters are not allowed in paths;"
                                + " namespace names are [A-Za-z0-9-_.]{1,128}");
                return;
            }
            res.next();
        });
        AllowedMethods allowed = new AllowedMethods();
        allowed.record(Method.GET, HttpMetrics.PATH);
        allowed.recording(routing)
                .get("/health", (req, res) -> HttpJson.ok(res, JsonNodeFactory.instance.objectNode().put("status", "ok")))
                .get("/ready", (req, res) -> HttpJson.ok(res, JsonNodeFactory.instance.objectNode().put("status", "ready")))
                .register(new TurbopufferService(db, limits))
                .register(new VecPuffService(db, limits));
        ErrorResponses.register(routing);
        routing.any((req, res) -> {
            String method = req.prologue().method().text();
            var allow = allowed.allowFor(req.path());
            if (allow.isPresent()) {
                res.header(HeaderNames.ALLOW, allow.get());
                ErrorResponses.send(res, Status.METHOD_NOT_ALLOWED_405,
                        method + " is not allowed on " + req.path().path() + "; allowed: " + allow.get());
            } else {
                ErrorResponses.send(res, Status.NOT_FOUND_404, "no route for " + method + " " + req.path().path());
            }
        });
    }

    static EngineOptions engineOptions(LodestoneConfig c) {
        IndexingConfig ix = c.indexing();
        EngineOptions.Indexing indexing = new EngineOptions.Indexing(ix.enabled(), ix.minUnindexedBytes(), ix.idleMillis(),
                ix.unindexedBytesLimit(), ix.maxSegments(), ix.gcGraceSeconds() * 1000L,
                new IndexConfig(ix.hnswM(), ix.hnswEfConstruction(), ix.quantization()), ix.targetRecall(),
                ix.recallSampleEvery(), ix.leaseSeconds() * 1000L, ix.maxUnindexedAgeSeconds() * 1000L);
        // With local storage and no cache path of its own, the cache (build scratch space) lives in the data directory.
        java.nio.file.Path cacheDir = c.cache().diskPath();
        if (c.storage().backend() == StorageConfig.Backend.LOCAL && cacheDir.equals(io.lodestone.config.CacheConfig.defaults().diskPath())) {
            cacheDir = c.storage().path().resolve(".cache");
        }
        EngineOptions.Queries queries = new EngineOptions.Queries(c.server().effectiveQueryThreads(),
                c.server().maxQueuedQueries(), c.server().requestTimeout().toMillis());
        return new EngineOptions("default/", c.batching().groupCommitWindow().toMillis(), c.batching().maxBatchBytes(),
                c.limits().maxDimensions(), indexing, cacheDir, queries,
                new EngineOptions.Cache(c.cache().memoryBytes(), c.cache().diskBytes()));
    }

    private static StorageOptions storageOptions(StorageConfig s) {
        return new StorageOptions(s.backend().name().toLowerCase(java.util.Locale.ROOT), s.path(), s.bucket().orElse(null),
                s.prefix(), s.endpoint().orElse(null), s.region().orElse(null), s.accessKeyId().orElse(null),
                s.secretAccessKey().orElse(null), s.pathStyle(), s.tuning());
    }

    public int port() {
        return server.port();
    }

    /** {@code https} when the port serves TLS ({@code [tls]}), else {@code http}. */
    public String scheme() {
        return server.hasTls() ? "https" : "http";
    }

    public Lodestone database() {
        return db;
    }

    @Override
    public void close() {
        server.stop();
        try {
            db.close();
            store.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
