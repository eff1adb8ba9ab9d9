package io.github.rip.emulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for Dynamics 365 F&O's recurring-integrations API, its data management package API (with a blob
 * endpoint of its own for the SAS URLs) and the Entra ID token endpoint, over HTTPS with a generated certificate. The runner starts it in-process when no D365 URL is configured; tests start one each.
 * All state lives in the configured data folder, so a restart with the same folder continues where it stopped.
 * Export jobs get their messages from {@link #publish}, {@link #publishGenerated}, a configured schedule or
 * {@code POST /admin/exports/{activityId}/publish}; {@link #faults()}, the configuration's {@code faults} and
 * {@code /admin/faults} make any endpoint misbehave on purpose.
 */
public final class D365Emulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(D365Emulator.class);

    static {
        // The JDK HTTP server leaves Nagle's algorithm on: every answer then waits ~40 ms for the client's delayed ACK,
        // capping one connection at ~20 requests/s (docs/performance.md). Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final EmulatorConfig config;
    private final HttpsServer server;
    private final ExecutorService httpWorkers;
    private final ProcessingSimulator simulator;
    private final MessageStore store;
    private final ExportStore exportStore;
    private final ExportSettings exportSettings;
    private final ExportPublisher publisher;
    private final AccessTokens tokens;
    private final EmulatorRegistry registry;
    private final HttpRouter router;
    private final BlobApi blobApi;
    private final PackageApi packageApi;
    private final PackageExecutions packageExecutions;
    private final TlsMaterial tls;
    private final String baseUrl;
    private final int port;
    private boolean stopped;

    private D365Emulator(EmulatorConfig config) throws IOException {
        this.config = config;
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        String publicHost = publicHost(config.host());
        this.tls = TlsMaterial.loadOrCreate(dataDir.resolve("tls"), publicHost);
        RSAKey signingKey = TokenSigningKey.loadOrCreate(dataDir.resolve("keys"));
        this.registry = new EmulatorRegistry(config.apps(), config.jobs());
        this.store = MessageStore.open(dataDir.resolve("messages"));
        this.exportStore = ExportStore.open(dataDir.resolve("exports"));
        this.exportSettings = new ExportSettings(config);
        // Binding comes last among the steps that can fail, so a failed start leaves no port bound.
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 0);
        this.port = server.getAddress().getPort();
        this.baseUrl = "https://" + publicHost + ":" + port;
        Clock clock = Clock.systemUTC();
        this.simulator = new ProcessingSimulator(store, registry, new MessageProcessor(config, clock),
                config.processingDelay(), config.processingTime(), clock);
        this.tokens = new AccessTokens(signingKey, baseUrl + "/" + config.tenant() + "/v2.0", config.tenant(),
                config.tokenLifetime(), config.tokenClockSkew(), clock);
        this.publisher = new ExportPublisher(exportStore, registry, config, clock);
        this.router = new HttpRouter();
        router.fingerprintTokensInto(tokens.fingerprints());
        new TokenEndpoint(new ClientAuthenticator(registry, config.tenant(), clock), tokens, signingKey,
                config.tenant(), baseUrl).register(router);
        ConnectorAuthorizer authorizer = new ConnectorAuthorizer(tokens, registry, baseUrl);
        new ConnectorApi(authorizer, store, exportStore, simulator, config, clock).register(router);
        new ExportApi(authorizer, exportStore, exportSettings, config.dateFormat(), baseUrl, publicHost, clock)
                .register(router);
        BlobStore blobs = BlobStore.open(dataDir.resolve("blobs"), dataDir.resolve("keys"));
        this.packageExecutions = PackageExecutions.open(dataDir.resolve("executions.json"));
        this.packageApi = new PackageApi(authorizer, registry, store, simulator, blobs, packageExecutions, publisher,
                config, baseUrl, clock);
        packageApi.register(router);
        this.blobApi = new BlobApi(blobs, clock);
        blobApi.register(router);
        new AdminApi(authorizer, publisher, exportStore).register(router);
        new FaultAdminApi(authorizer, router.faults()).register(router);
        config.faults().forEach(router.faults()::add);
        if (!config.faults().isEmpty()) {
            LOG.warn("D365 emulator starts with {} configured fault(s): it misbehaves on purpose (GET /admin/faults"
                    + " lists them)", config.faults().size());
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
        server.createContext("/", router);
        AtomicInteger threads = new AtomicInteger();
        this.httpWorkers = Executors.newFixedThreadPool(config.maxThreads(), r -> {
            Thread t = new Thread(r, "d365-emulator-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(httpWorkers);
    }

    /** Starts an emulator; returns once it accepts connections. */
    public static D365Emulator start(EmulatorConfig config) throws IOException {
        D365Emulator emulator = new D365Emulator(config);
        emulator.server.start();
        emulator.simulator.resume();
        emulator.publisher.startSchedules(config.exports());
        LOG.info("D365 emulator listening on {} (authority {}, data {})", emulator.baseUrl, emulator.authority(),
                config.dataDir());
        return emulator;
    }

    /** The D365 environment URL, e.g. {@code https://localhost:8443}; also the resource to request tokens for. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The Entra ID authority for msal4j, e.g. {@code https://localhost:8443/<tenant>/}. */
    public String authority() {
        return baseUrl + "/" + config.tenant() + "/";
    }

    /** A PKCS12 trust store holding only the emulator's certificate. */
    public Path trustStore() {
        return tls.trustStore();
    }

    public String trustStorePassword() {
        return TlsMaterial.TRUST_STORE_PASSWORD;
    }

    /** The emulator's TLS certificate (the one in {@link #trustStore()}). */
    public X509Certificate certificate() {
        return tls.certificate();
    }

    public int port() {
        return port;
    }

    public String tenant() {
        return config.tenant();
    }

    public EmulatorConfig config() {
        return config;
    }

    /** Every message received (also those from before a restart), oldest first. */
    public List<EmulatorMessage> messages() {
        return store.all();
    }

    /** One message by any spelling of its id. */
    public Optional<EmulatorMessage> message(String id) {
        return store.get(id);
    }

    /** "METHOD /path" of the latest requests, oldest first (at most 1000; no query strings, headers or bodies). */
    public List<String> requests() {
        return router.requestLog();
    }

    /** Registers (or replaces) an app registration at runtime, e.g. one with a certificate made by a test. */
    public void registerApp(AppRegistration app) {
        registry.registerApp(app);
    }

    /** Enables an app on a recurring job's authorization policy at runtime. */
    public void enableApp(String activityId, String appId) {
        registry.enableApp(activityId, appId);
    }

    /**
     * Publishes a copy of a file (a data package zip, or any file) to an export job's outbound queue.
     *
     * @return the message's CorrelationId
     * @throws IllegalArgumentException if the activity is not a configured export job
     */
    public String publish(String activityId, Path packageOrFile) throws IOException {
        return publisher.publish(activityId, packageOrFile);
    }

    /**
     * Generates a data package (Manifest.xml, PackageHeader.xml, one CSV per entity of the export job, {@code rows}
     * rows each) and publishes it. The data depends only on the seed, which is the number of messages published to
     * the job before, so a fresh emulator always produces the same sequence of packages.
     *
     * @return the message's CorrelationId
     */
    public String publishGenerated(String activityId, int rows) throws IOException {
        return publisher.publishGenerated(activityId, rows, null);
    }

    /** As {@link #publishGenerated(String, int)} with an explicit seed: same seed, same rows. */
    public String publishGenerated(String activityId, int rows, long seed) throws IOException {
        return publisher.publishGenerated(activityId, rows, seed);
    }

    /**
     * Publishes a message without a file: dequeue answers {@code IsDownLoadFileExist=false}, this
     * {@code FileDownLoadErrorMessage} and a null {@code DownloadLocation} (the case that crashed RIS).
     *
     * @return the message's CorrelationId
     */
    public String publishUnavailable(String activityId, String errorMessage) throws IOException {
        return publisher.publishUnavailable(activityId, errorMessage);
    }

    /** Every export message published (also before a restart, acked ones included), oldest first. */
    public List<ExportMessage> exportMessages() {
        return exportStore.all();
    }

    /** One export message by any of its CorrelationIds, any spelling. */
    public Optional<ExportMessage> exportMessage(String correlationId) {
        return exportStore.byCorrelationId(correlationId);
    }

    /** Switches {@code http://<host>:80/…} DownloadLocations on or off for the following dequeues. */
    public void downloadLocationHttpPort80(boolean enabled) {
        exportSettings.downloadLocationHttpPort80(enabled);
    }

    /** Switches new CorrelationIds on redelivery on or off for the following dequeues. */
    public void redeliveryNewCorrelationId(boolean enabled) {
        exportSettings.redeliveryNewCorrelationId(enabled);
    }

    /** Changes how long the following dequeues hide a message. */
    public void visibilityTimeout(Duration timeout) {
        exportSettings.visibilityTimeout(timeout);
    }

    /** Every execution of the package API (ImportFromPackage, ExportToPackage), also from before a restart, oldest first. */
    public List<PackageExecution> packageExecutions() {
        return packageExecutions.all();
    }

    /** One package API execution by its id. */
    public Optional<PackageExecution> packageExecution(String executionId) {
        return packageExecutions.get(executionId);
    }

    /**
     * How long the blob URLs the package API hands out from now on stay valid (GetAzureWriteUrl,
     * GetExportedPackageUrl); a URL used after that is refused with 403 AuthenticationFailed, as Azure refuses an
     * expired SAS. Default 1 hour (D365's own lifetime is unconfirmed); zero or negative hands out URLs that are
     * already expired.
     */
    public void blobUrlLifetime(Duration lifetime) {
        packageApi.blobUrlLifetime(lifetime);
    }

    /** Requests to the blob endpoint that carried an Authorization header (each was refused; a client must send none). */
    public int blobRequestsWithBearerToken() {
        return blobApi.bearerTokensReceived();
    }

    /** Fault injection: failures, delays and cut connections for the next requests to an endpoint. */
    public FaultInjector faults() {
        return router.faults();
    }

    /** Requests received by an endpoint since start, including those answered by fault injection. */
    public int requestCount(Endpoint endpoint) {
        return router.requestCount(endpoint);
    }

    /** The most requests to the endpoint handled at the same time since the start (several clients or threads). */
    public int peakConcurrentRequests(Endpoint endpoint) {
        return router.peakInFlight(endpoint);
    }

    /** SHA-256 fingerprints (hex) of the access tokens this emulator issued since start. */
    public java.util.Set<String> issuedTokenFingerprints() {
        return tokens.fingerprints().issued();
    }

    /**
     * SHA-256 fingerprints (hex) of every bearer token requests presented since start, to any path, whoever issued it:
     * a token of another environment shows up here even though it was refused.
     */
    public java.util.Set<String> presentedTokenFingerprints() {
        return tokens.fingerprints().presented();
    }

    /** Access tokens issued by the token endpoint since start. */
    public int tokensIssued() {
        return tokens.issuedCount();
    }

    /** Stops listening and processing; persisted state stays for the next start. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        server.stop(0);
        httpWorkers.shutdown();
        publisher.close();
        simulator.close();
        try {
            if (!httpWorkers.awaitTermination(5, TimeUnit.SECONDS)) {
                httpWorkers.shutdownNow();
            }
        } catch (InterruptedException e) {
            httpWorkers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("D365 emulator on port {} stopped", port);
    }

    @Override
    public void close() {
        stop();
    }

    /** The name clients use: localhost for loopback and wildcard binds, else the configured host. */
    private static String publicHost(String host) {
        return switch (host) {
            case "127.0.0.1", "localhost", "::1", "0.0.0.0", "::" -> "localhost";
            default -> host;
        };
    }
}
