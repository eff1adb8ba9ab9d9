package io.github.rip.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.rip.auth.TlsTrust;
import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.Endpoint;
import io.github.rip.journal.ExportJournal.State;
import io.github.rip.journal.ExportRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rip.it.ExportFixtures.activity;
import static io.github.rip.it.ExportFixtures.allFiles;
import static io.github.rip.it.ExportFixtures.files;
import static io.github.rip.it.ExportFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What an export job refuses: a DownloadLocation on another host, zip slip, zip bombs, a failing stylesheet. */
class ExportSecurityIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void a_download_location_on_another_host_is_refused_and_the_token_never_goes_there() throws Exception {
        List<String> foreignRequests = new CopyOnWriteArrayList<>();
        HttpServer foreign = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        foreign.createContext("/", ex -> {
            foreignRequests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " Authorization="
                    + ex.getRequestHeaders().getFirst("Authorization"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        foreign.start();
        Path out = data.resolve("out");
        Path jobFolder = data.resolve("export/guarded");
        ExportFixtures.writeJob(data.resolve("routes"), "guarded", jobFolder, "file:" + out, Map.of());
        try (D365Emulator emulator = ExportFixtures.standaloneEmulator(data.resolve("emulator"));
             RewritingProxy d365 = new RewritingProxy(emulator);
             PackRunner runner = ExportFixtures.runner(data.resolve("runner"), data.resolve("routes"))
                     .set("d365.base-url", d365.baseUrl())
                     .set("d365.authority", emulator.authority())
                     .set("d365.truststore.path", emulator.trustStore().toString())
                     .set("d365.truststore.password", emulator.trustStorePassword())
                     .set("d365.client-id", StandaloneEmulator.CLIENT_ID)
                     .set("d365.client-secret", StandaloneEmulator.SECRET).start()) {
            // control: through the same proxy, a location on the D365 host is downloaded and delivered
            d365.downloadBase = d365.baseUrl();
            String control = emulator.publish(activity(), pkg("control.zip"));
            await().atMost(WAIT).until(() -> row(runner, "guarded", control).map(r -> r.state() == State.ACKED)
                    .orElse(false));

            d365.downloadBase = "http://127.0.0.1:" + foreign.getAddress().getPort();
            String id = emulator.publish(activity(), pkg("elsewhere.zip"));
            await().atMost(WAIT).until(() -> row(runner, "guarded", id).map(r -> r.state() == State.FAILED)
                    .orElse(false));

            assertThat(foreignRequests).as("no request, with or without the token, reached the other host").isEmpty();
            ExportRecord row = row(runner, "guarded", id).orElseThrow();
            assertThat(row.lastError()).contains("refused").contains("127.0.0.1").contains("bearer token was not sent");
            assertThat(row.failedPath()).isNull();
            assertThat(row.ackedAt()).as("nothing kept, so D365 keeps the message").isNull();
            assertThat(emulator.exportMessage(id).orElseThrow().ackedAt()).isNull();
            assertThat(emulator.requestCount(Endpoint.DOWNLOAD)).as("only the control was downloaded").isEqualTo(1);
            assertThat(Files.readString(jobFolder.resolve("failed/guarded_" + id + ".report.txt")))
                    .contains("FAILED").contains("NOT acknowledged").contains("127.0.0.1");
            assertThat(files(out)).hasSize(1);
        } finally {
            foreign.stop(0);
        }
    }

    @Test
    void a_zip_slip_package_is_quarantined_with_a_report_and_nothing_lands_outside_the_target() throws Exception {
        Path out = data.resolve("out");
        Path jobFolder = data.resolve("export/slip");
        ExportFixtures.writeJob(data.resolve("routes"), "slip", jobFolder, "file:" + out, Map.of("unzip", "true"));
        try (PackRunner runner = ExportFixtures.runner(data, data.resolve("routes")).start()) {
            Path evil = ExportFixtures.rawZip(data.resolve("evil.zip"), new java.util.LinkedHashMap<>(Map.of(
                    "Customer groups.csv", "A,B\r\n1,2\r\n".getBytes(StandardCharsets.UTF_8),
                    "../../../../slipped.csv", "owned".getBytes(StandardCharsets.UTF_8))));
            String id = runner.emulator().publish(activity(), evil);

            ExportRecord row = awaitQuarantinedAndAcked(runner, "slip", id);
            assertThat(row.lastError()).contains("escapes the package folder").contains("zip-slip");
            assertThat(allFiles(data)).noneMatch(f -> f.getFileName().toString().equals("slipped.csv"));
            assertThat(files(out)).as("not even the harmless entry is delivered").isEmpty();
            assertQuarantined(jobFolder, row, evil, "escapes the package folder");
        }
    }

    @Test
    void a_zip_bomb_is_quarantined_with_a_report() throws Exception {
        Path out = data.resolve("out");
        Path jobFolder = data.resolve("export/bomb");
        ExportFixtures.writeJob(data.resolve("routes"), "bomb", jobFolder, "file:" + out, Map.of("unzip", "true"));
        try (PackRunner runner = ExportFixtures.runner(data, data.resolve("routes")).start()) {
            Path bomb = ExportFixtures.zipBomb(data.resolve("bomb.zip"), 40);
            assertThat(Files.size(bomb)).isLessThan(200_000);
            String id = runner.emulator().publish(activity(), bomb);

            ExportRecord row = awaitQuarantinedAndAcked(runner, "bomb", id);
            assertThat(row.lastError()).contains("zip bomb");
            assertThat(files(out)).isEmpty();
            assertThat(allFiles(jobFolder.resolve("work"))).as("the partly inflated entry is gone").isEmpty();
            assertQuarantined(jobFolder, row, bomb, "zip bomb");
        }
    }

    @Test
    void a_failing_stylesheet_quarantines_the_package_before_any_file_is_delivered() throws Exception {
        Path out = data.resolve("out");
        Path jobFolder = data.resolve("export/xslt");
        Path xsl = data.resolve("broken.xsl");
        Files.writeString(xsl, """
                <xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
                  <xsl:template match="/"><xsl:sequence select="error((), 'No groups today')"/></xsl:template>
                </xsl:stylesheet>
                """);
        ExportFixtures.writeJob(data.resolve("routes"), "xslt", jobFolder, "file:" + out,
                Map.of("unzip", "true", "transform", "*.xml | " + xsl));
        try (PackRunner runner = ExportFixtures.runner(data, data.resolve("routes")).start()) {
            Path zip = ExportFixtures.dataPackage(data.resolve("p.zip"), new java.util.LinkedHashMap<>(Map.of(
                    "Currencies.csv", "CURRENCYCODE,NAME\r\nEUR,Euro\r\n",
                    "Customer groups.xml", "<Document><GROUP><ID>1</ID></GROUP></Document>")));
            String id = runner.emulator().publish(activity(), zip);

            ExportRecord row = awaitQuarantinedAndAcked(runner, "xslt", id);
            assertThat(row.lastError()).contains("XSLT").contains("Customer groups.xml").contains("No groups today");
            assertThat(files(out)).as("the CSV of the same package is not delivered either").isEmpty();
            assertQuarantined(jobFolder, row, zip, "XSLT");
        }
    }

    @Test
    void a_job_whose_settings_cannot_work_stops_the_runner_from_starting() {
        ExportFixtures.writeJob(data.resolve("routes"), "wrong", data.resolve("export/wrong"), "file:" + data,
                Map.of("transform", "transforms/vendor-groups.xsl"));
        PackRunner runner = ExportFixtures.runner(data, data.resolve("routes"));
        try {
            assertThatThrownBy(runner::start).hasStackTraceContaining("transform needs unzip=true");
        } finally {
            try {
                // a context that failed to start does not stop the embedded emulator it started (see the report)
                runner.emulator().stop();
                runner.close();
            } catch (Exception ignored) {
                // nothing more to stop
            }
        }
    }

    private static ExportRecord awaitQuarantinedAndAcked(PackRunner runner, String job, String id) {
        await().atMost(WAIT).until(() -> row(runner, job, id).map(r -> r.ackedAt() != null).orElse(false));
        ExportRecord row = row(runner, job, id).orElseThrow();
        assertThat(row.state()).isEqualTo(State.FAILED);
        assertThat(runner.emulator().exportMessage(id).orElseThrow().ackedAt()).isNotNull();
        return row;
    }

    private static void assertQuarantined(Path jobFolder, ExportRecord row, Path published, String reason)
            throws IOException {
        Path kept = Path.of(row.failedPath());
        assertThat(kept.getParent()).isEqualTo(jobFolder.resolve("failed").toAbsolutePath());
        assertThat(Files.readAllBytes(kept)).isEqualTo(Files.readAllBytes(published));
        assertThat(Files.readString(kept.resolveSibling(kept.getFileName() + ".report.txt")))
                .contains("FAILED - not delivered").contains(row.correlationId()).contains(reason)
                .contains("acknowledged after the package was kept here");
    }

    private Path pkg(String name) throws Exception {
        return ExportFixtures.dataPackage(data.resolve(name), Map.of("Customer groups.csv", "A,B\r\n1,2\r\n"));
    }

    /**
     * Plays D365 for the runner (plain HTTP on localhost) by forwarding to the emulator with its own token, and
     * rewrites every dequeue's DownloadLocation to {@link #downloadBase}: the way to hand the runner a location on
     * another host.
     */
    static final class RewritingProxy implements AutoCloseable {

        private static final ObjectMapper JSON = new ObjectMapper();
        private final D365Emulator emulator;
        private final HttpServer server;
        private final HttpClient client;
        volatile String downloadBase;
        private volatile String token;

        RewritingProxy(D365Emulator emulator) throws IOException {
            this.emulator = emulator;
            this.client = HttpClient.newBuilder()
                    .sslContext(TlsTrust.fromTrustStore(emulator.trustStore(), emulator.trustStorePassword())).build();
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::forward);
            server.start();
        }

        String baseUrl() {
            return "http://localhost:" + server.getAddress().getPort();
        }

        private void forward(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                String query = ex.getRequestURI().getRawQuery();
                String path = ex.getRequestURI().getRawPath();
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path
                        + (query == null ? "" : "?" + query))).method(ex.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                if (ex.getRequestHeaders().containsKey("Authorization")) {
                    request.header("Authorization", "Bearer " + emulatorToken());
                }
                String contentType = ex.getRequestHeaders().getFirst("Content-Type");
                if (contentType != null) {
                    request.header("Content-Type", contentType);
                }
                HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] out = answer.body();
                if (path.contains("/api/connector/dequeue/") && answer.statusCode() == 200) {
                    ObjectNode json = (ObjectNode) JSON.readTree(out);
                    URI location = URI.create(json.get("DownloadLocation").asText());
                    json.put("DownloadLocation", downloadBase + location.getRawPath() + "?" + location.getRawQuery());
                    out = JSON.writeValueAsBytes(json);
                }
                for (String header : List.of("Content-Type", "Content-Disposition", "Retry-After")) {
                    answer.headers().firstValue(header).ifPresent(v -> ex.getResponseHeaders().set(header, v));
                }
                ex.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    ex.getResponseBody().write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** A token for the emulator's own audience (the runner's token is for the proxy's URL). */
        private String emulatorToken() throws IOException, InterruptedException {
            if (token == null) {
                String form = "grant_type=client_credentials&client_id=" + StandaloneEmulator.CLIENT_ID
                        + "&client_secret=" + StandaloneEmulator.SECRET + "&scope="
                        + URLEncoder.encode(emulator.baseUrl() + "/.default", StandardCharsets.UTF_8);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(emulator.authority()
                                + "oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                token = JSON.readTree(r.body()).get("access_token").asText();
            }
            return token;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
