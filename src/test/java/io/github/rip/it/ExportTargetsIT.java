package io.github.rip.it;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.github.rip.journal.ExportJournal.State;
import io.github.rip.journal.ExportRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rip.it.ExportFixtures.activity;
import static io.github.rip.it.ExportFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Export targets other than a folder (SFTP targets: SftpExportIT): an HTTP endpoint gets the package and nothing else. */
class ExportTargetsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void an_http_target_gets_the_package_with_the_exports_headers_and_nothing_of_the_d365_calls() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        List<Headers> headers = new CopyOnWriteArrayList<>();
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        partner.createContext("/", ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            headers.add(ex.getRequestHeaders());
            bodies.add(ex.getRequestBody().readAllBytes());
            // the partner is briefly unavailable: the delivery is retried in place
            ex.sendResponseHeaders(calls.incrementAndGet() == 1 ? 503 : 200, -1);
            ex.close();
        });
        partner.start();
        try {
            String target = "http://127.0.0.1:" + partner.getAddress().getPort() + "/inbox";
            ExportFixtures.writeJob(data.resolve("routes"), "push", data.resolve("export/push"), target, Map.of());
            try (PackRunner runner = ExportFixtures.runner(data, data.resolve("routes")).start()) {
                Path zip = ExportFixtures.dataPackage(data.resolve("p.zip"), Map.of("Customer groups.csv", "A,B\r\n1,2\r\n"));
                String id = runner.emulator().publish(activity(), zip);

                await().atMost(WAIT).until(() -> row(runner, "push", id).map(r -> r.state() == State.ACKED)
                        .orElse(false));
                assertThat(requests).containsExactly("POST /inbox", "POST /inbox");
                assertThat(bodies.get(1)).isEqualTo(Files.readAllBytes(zip));
                Headers sent = headers.get(1);
                assertThat(sent.getFirst("RipCorrelationId")).isEqualTo(id);
                assertThat(sent.getFirst("RipExportJob")).isEqualTo("push");
                assertThat(sent.containsKey("Authorization")).as("the D365 bearer token stays with D365").isFalse();
                assertThat(sent.keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel")
                        || h.equalsIgnoreCase("Content-Disposition"));
                ExportRecord row = row(runner, "push", id).orElseThrow();
                assertThat(row.filesWritten()).isEqualTo(1);
            }
        } finally {
            partner.stop(0);
        }
    }
}
