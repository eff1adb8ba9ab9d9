package io.github.rip.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.rip.PackConfiguration;
import io.github.rip.RecurringIntegrationsPack;
import io.github.rip.auth.D365TokenProvider;
import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.EmbeddedEmulator;
import io.github.rip.journal.ImportJournal;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Test fixture: the real runner (Camel Main, the top-level application.properties, the pack's templates and a routes
 * folder) with its state in a temporary folder and timings shortened for tests.
 */
public final class PackRunner implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private Main main;

    public PackRunner(Path dataDir) {
        this.dataDir = dataDir;
        set("rip.data-dir", dataDir.toString());
        set("rip.routes-dir", "routes");
        set("rip.import.read-lock-min-age", "300ms");
        set("rip.import.poll-delay", "200");
        set("rip.status.poll-interval", "200");
        set("emulator.processing-delay", "200ms");
        set("rip.retry.in-place-delay", "100");
        set("rip.retry.first-backoff", "1s");
        set("rip.retry.max-backoff", "2s");
        set("camel.main.shutdown-timeout", "5");
        // any free port: test classes and other builds on the machine must not fight over 8080
        set("camel.server.port", "0");
    }

    /** Overrides a property of application.properties for this runner. */
    public PackRunner set(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    public PackRunner start() throws Exception {
        main = new Main();
        main.configure().addConfiguration(PackConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        overrides.forEach(main::addOverrideProperty);
        main.start();
        return this;
    }

    public void stop() throws Exception {
        if (main != null) {
            main.stop();
            main = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A job's folder under the data folder, e.g. job("customer-groups").resolve("inbox"). */
    public Path job(String name) {
        return dataDir.resolve("import").resolve(name);
    }

    /**
     * Waits until the file's report appears in processed/ or failed/ and returns "processed" or "failed" followed by
     * the report, so a failed assertion shows what the runner wrote.
     */
    public String awaitOutcome(String jobName, String fileName) {
        Path processed = job(jobName).resolve("processed").resolve(fileName + ".report.txt");
        Path failed = job(jobName).resolve("failed").resolve(fileName + ".report.txt");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> java.nio.file.Files.exists(processed) || java.nio.file.Files.exists(failed));
        try {
            return java.nio.file.Files.exists(processed) ? "processed\n" + java.nio.file.Files.readString(processed)
                    : "failed\n" + java.nio.file.Files.readString(failed);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public D365Emulator emulator() {
        return context().getRegistry().lookupByNameAndType("d365Emulator", EmbeddedEmulator.Started.class).emulator();
    }

    public ImportJournal journal() {
        return context().getRegistry().lookupByNameAndType("importJournal", ImportJournal.class);
    }

    /**
     * Recreates a crash window the runner itself never writes in one step: a finished row back to ENQUEUED with a sent/
     * name, as if the runner had died after journaling the enqueue and before moving the file. The journal's own
     * transitions refuse this (ENQUEUED is only reached from CLAIMED), so the test writes the row directly.
     */
    public void rewindToEnqueued(long id, String messageId, String sentPath) throws java.sql.SQLException {
        javax.sql.DataSource dataSource = context().getRegistry().lookupByNameAndType("ripDataSource",
                javax.sql.DataSource.class);
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE rip_import_journal SET state = 'ENQUEUED', message_id = ?, sent_path = ?, request_sent = FALSE, "
                        + "claim_key = NULL, http_status = 200, last_error = NULL, retry_at = NULL WHERE id = ?")) {
            ps.setString(1, messageId);
            ps.setString(2, sentPath);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /** The dashboard's address: the embedded HTTP server on the free port it was given. */
    public String baseUrl() {
        return "http://127.0.0.1:" + context().hasService(
                org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer.class).getPort();
    }

    public D365TokenProvider tokens() {
        return context().getRegistry().lookupByNameAndType("d365Tokens", D365TokenProvider.class);
    }
}
