package io.lodestone.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.lodestone.config.ConfigException;
import io.lodestone.config.CorsConfig;
import io.lodestone.config.IndexingConfig;
import io.lodestone.config.LodestoneConfig;
import io.lodestone.config.ServerConfig;
import io.lodestone.engine.EngineOptions;
import io.lodestone.engine.Lodestone;
import io.lodestone.http.budgetvec.BudgetVecService;
import io.lodestone.http.tpuf.TurbopufferService;
import io.lodestone.doc.IndexConfig;
import io.lodestone.http.quartz.QuartzErrorShapes;
import io.lodestone.http.quartz.QuartzV1Service;
import io.lodestone.http.quartz.QuartzWorkerService;
import io.lodestone.http.ruvector.RuvectorErrorShape;
import io.lodestone.http.ruvector.RuvectorService;
import io.lodestone.http.vecpuff.VecPuffService;
import io.lodestone.region.Placement;
import io.lodestone.region.Regions;
import io.lodestone.store.ObjectStore;
import io.lodestone.tenancy.AdminService;
import io.lodestone.tenancy.AuditLog;
import io.lodestone.tenancy.Authenticator;
import io.lodestone.tenancy.FirstAdminKey;
import io.lodestone.tenancy.Tenancy;
import io.lodestone.tenancy.Tenants;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The Lodestone HTTP server: one Helidon web server over the engines of its regions ({@link Regions}); every request
 * reaches namespaces through {@link Tenancy}, which finds its tenant and the region of each namespace.
 */
public final class LodestoneServer implements AutoCloseable {
    /** Longest request line (method, path with query, version); longer ones get 414. */
    public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;
    /** Largest header block; larger ones get 431. */
    /** Socket receive buffer of each connection (see the server builder). */
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern ENCODED_PATH_ESCAPE = Pattern.compile("(?i)%2f|%5c|%2e|%00|//");

    /** Where the namespaces of the default tenant (and of every server before tenants existed) live. */
    public static final String DEFAULT_TENANT_ROOT = "default/";
    private static final System.Logger LOG = System.getLogger(LodestoneServer.class.getName());

    private final Regions regions;
    private final WebServer server;
    private final String firstAdminKey;
    private final StartupWarmUp warmUp;
    private final Authenticator authenticator;

    private LodestoneServer(Regions regions, WebServer server, String firstAdminKey, StartupWarmUp warmUp,
                            Authenticator authenticator) {
        this.regions = regions;
        this.server = server;
        this.firstAdminKey = firstAdminKey;
        this.warmUp = warmUp;
        this.authenticator = authenticator;
    }

    /** Opens the storage of every region the configuration names and starts serving. */
    public static LodestoneServer start(LodestoneConfig config) {
        refuseUnauthenticatedExposure(config);
        Tls tls = ServerTls.from(config.tls()); // before storage opens: bad certificate files stop start-up here
        Regions regions = Regions.open(config, engineOptions(config));
        try {
            // Tenants, keys, placements and the audit log live in the default region's store.
            ObjectStore control = regions.defaultRegion().store();
            Tenants tenants = new Tenants(control);
            String firstAdminKey;
            try {
                tenants.ensureDefault(LodestoneConfig.DEFAULT_REGION);
                firstAdminKey = config.auth().enabled() && config.auth().adminKey().isEmpty() ? FirstAdminKey.ensure(control, tenants) : null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or create the tenants in storage: " + e.getMessage(), e);
            }
            Authenticator authenticator = new Authenticator(tenants, config.auth().enabled(), config.auth().adminKey().orElse(null));
            // Read now and kept fresh: the default tenant's first request does not wait for its record.
            authenticator.tenant(Tenants.DEFAULT);
            Tenancy tenancy = new Tenancy(regions, new Placement(control), DEFAULT_TENANT_ROOT, tenants, authenticator,
                    new AuditLog(control));
            StartupWarmUp warmUp = StartupWarmUp.of(config.server().warmUp(), control, Tenants.recordKey(Tenants.DEFAULT));
            WebServer server;
            try {
                server = serve(config, regions, tenancy, tls, warmUp);
            } catch (RuntimeException e) {
                authenticator.close();
                throw e;
            }
            warmUp.begin();
            return new LodestoneServer(regions, server, firstAdminKey, warmUp, authenticator);
        } catch (RuntimeException e) {
            regions.close();
            throw e;
        }
    }

    /**
     * Refuses to listen beyond loopback with auth off, unless {@code auth.allow_unauthenticated} says the operator
     * means it (then warns): anyone who reaches such a port may read, overwrite and delete every namespace.
     */
    private static void refuseUnauthenticatedExposure(LodestoneConfig config) {
        if (config.auth().enabled() || loopback(config.server().host())) return;
        if (!config.auth().allowUnauthenticated()) {
            throw new ConfigException("server.host is " + config.server().host() + ", not a loopback address, and auth.enabled is"
                    + " false: anyone who can reach the port could read, change and delete every namespace. Turn auth on"
                    + " (LODESTONE_AUTH_ENABLED=true), or set auth.allow_unauthenticated = true if a proxy in front authenticates.");
        }
        LOG.log(System.Logger.Level.WARNING, "listening on " + config.server().host() + " with auth off"
                + " (auth.allow_unauthenticated = true): every client that reaches the port has full access");
    }

    private static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static WebServer serve(LodestoneConfig config, Regions regions, Tenancy tenancy, Tls tls, StartupWarmUp warmUp) {
        ServerConfig sc = config.server();
        ServerLimits limits = new ServerLimits(sc.maxBodyBytes(), config.limits().maxTopK(),
                config.limits().maxBatchRows(), config.limits().maxQueriesPerRequest(),
                config.limits().maxNamespaceNameLength(), config.limits().maxAttributeValueBytes(),
                config.limits().maxDimensions(), sc.requestTimeout());
        HeadDeadline headDeadline = new HeadDeadline(sc.requestTimeout());
        return WebServer.builder()
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
                .routing(r -> routing(r, regions, tenancy, limits, config.cors(), warmUp))
                .build()
                .start();
    }

    /** The whole HTTP surface; tests use the same table. */
    static void routing(HttpRouting.Builder routing, Regions regions, Tenancy tenancy, ServerLimits limits, CorsConfig cors,
                        StartupWarmUp warmUp) {
        CorsFilter.register(routing, cors); // first: preflights end before anything that needs credentials
        HttpMetrics metrics = new HttpMetrics(regions);
        metrics.register(routing);
        ErrorResponses.shapes(routing, path -> {
            ErrorShape quartz = QuartzErrorShapes.forPath(path);
            return quartz != null ? quartz : RuvectorErrorShape.forPath(path);
        }); // before any filter that may refuse a request
        tenancy.register(routing); // then: a client without a good key learns nothing, not even which paths are malformed
        routing.any((req, res) -> {
            if (ENCODED_PATH_ESCAPE.matcher(req.path().rawPath()).find()) {
                ErrorResponses.send(req, res, Status.BAD_REQUEST_400,
                        "empty path segments and encoded '/', '\\', '.' or NUL characters are not allowed in paths;"
                                + " namespace names are [A-Za-z0-9-_.]{1,128}");
                return;
            }
            res.next();
        });
        AllowedMethods allowed = new AllowedMethods();
        allowed.recording(routing)
                .get(HttpMetrics.PATH, metrics::scrape)
                .get("/health", (req, res) -> HttpJson.ok(res, JsonNodeFactory.instance.objectNode().put("status", "ok")))
                .get("/ready", warmUp::answer)
                .register(new TurbopufferService(tenancy, limits))
                .register(new BudgetVecService(tenancy, limits))
                .register(new VecPuffService(tenancy, limits))
                .register(new QuartzWorkerService(tenancy, limits))
                .register(new QuartzV1Service(tenancy, limits, regions.defaultRegion().store()))
                .register(new RuvectorService(tenancy, limits))
                .register(new AdminService(tenancy, limits, regions.names()));
        ErrorResponses.register(routing);
        routing.any((req, res) -> {
            String method = req.prologue().method().text();
            var allow = allowed.allowFor(req.path());
            if (allow.isPresent()) {
                res.header(HeaderNames.ALLOW, allow.get());
                ErrorResponses.send(req, res, Status.METHOD_NOT_ALLOWED_405,
                        method + " is not allowed on " + req.path().path() + "; allowed: " + allow.get());
            } else {
                ErrorResponses.send(req, res, Status.NOT_FOUND_404, "no route for " + method + " " + req.path().path());
            }
        });
    }

    /**
     * The engine settings every region shares; {@link Regions} gives each its own cache directory and budgets, and
     * the index of new namespaces that fits its storage ({@code indexing.index_type}).
     */
    static EngineOptions engineOptions(LodestoneConfig c) {
        IndexingConfig ix = c.indexing();
        EngineOptions.Indexing indexing = new EngineOptions.Indexing(ix.enabled(), ix.minUnindexedBytes(), ix.idleMillis(),
                ix.unindexedBytesLimit(), ix.maxSegments(), ix.gcGraceSeconds() * 1000L,
                ix.newNamespaceIndex(true), ix.targetRecall(),
                ix.recallSampleEvery(), ix.leaseSeconds() * 1000L, ix.maxUnindexedAgeSeconds() * 1000L);
        EngineOptions.Queries queries = new EngineOptions.Queries(c.server().effectiveQueryThreads(),
                c.server().maxQueuedQueries(), c.server().requestTimeout().toMillis());
        return new EngineOptions(DEFAULT_TENANT_ROOT, c.batching().groupCommitWindow().toMillis(), c.batching().maxBatchBytes(),
                c.limits().maxDimensions(), indexing, c.cache().diskPath(), queries,
                new EngineOptions.Cache(c.cache().memoryBytes(), c.cache().diskBytes()));
    }

    public int port() {
        return server.port();
    }

    /** {@code https} when the port serves TLS ({@code [tls]}), else {@code http}. */
    public String scheme() {
        return server.hasTls() ? "https" : "http";
    }

    /** The admin key this start generated (auth on, no {@code auth.admin_key}, first server of the bucket), shown once. */
    public java.util.Optional<String> firstAdminKey() {
        return java.util.Optional.ofNullable(firstAdminKey);
    }

    /** The engine of the region {@value LodestoneConfig#DEFAULT_REGION} (the default tenant's namespaces live in its root). */
    public Lodestone database() {
        return regions.defaultRegion();
    }

    /** The engines of every region. */
    public Regions regions() {
        return regions;
    }

    @Override
    public void close() {
        server.stop();
        authenticator.close();
        warmUp.close();
        regions.close();
    }
}
