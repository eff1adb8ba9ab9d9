package io.github.rip.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.Endpoint;
import io.github.rip.journal.ExportJournal.State;
import io.github.rip.journal.ExportRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.github.rip.it.ExportFixtures.activity;
import static io.github.rip.it.ExportFixtures.files;
import static io.github.rip.it.ExportFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Export jobs end to end: the real runner polls the emulator over HTTPS, delivers to folders and acks. */
class ExportDeliveryIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    @Test
    void several_packages_are_delivered_as_zips_with_the_published_bytes_and_then_acked() throws Exception {
        Path routes = data.resolve("routes");
        Path out = data.resolve("out");
        ExportFixtures.writeJob(routes, "zips", data.resolve("export/zips"), "file:" + out, Map.of());
        try (PackRunner runner = ExportFixtures.runner(data, routes).start()) {
            D365Emulator emulator = runner.emulator();
            Map<String, byte[]> published = new LinkedHashMap<>();
            for (int i = 1; i <= 3; i++) {
                Path zip = ExportFixtures.dataPackage(data.resolve("package-" + i + ".zip"), Map.of(
                        "Customer groups.csv", "CUSTOMERGROUPID,DESCRIPTION\r\nG" + i + ",Group " + i + "\r\n"));
                published.put(emulator.publish(activity(), zip), Files.readAllBytes(zip));
            }

            await().atMost(WAIT).until(() -> published.keySet().stream()
                    .allMatch(id -> row(runner, "zips", id).map(r -> r.state() == State.ACKED).orElse(false)));

            List<Path> delivered = files(out);
            assertThat(delivered).hasSize(3);
            for (Map.Entry<String, byte[]> p : published.entrySet()) {
                Path file = delivered.stream().filter(f -> f.getFileName().toString().contains(p.getKey()))
                        .findFirst().orElseThrow();
                assertThat(file.getFileName().toString()).startsWith("zips_").endsWith("_" + p.getKey() + ".zip");
                assertThat(Files.readAllBytes(file)).isEqualTo(p.getValue());
                ExportRecord row = row(runner, "zips", p.getKey()).orElseThrow();
                assertThat(row.sha256()).isEqualTo(ExportFixtures.sha256(p.getValue()));
                assertThat(row.size()).isEqualTo(p.getValue().length);
                assertThat(row.filesWritten()).isEqualTo(1);
                assertThat(row.deliveredFileNames()).containsExactly(file.getFileName().toString());
                assertThat(row.attempts()).isEqualTo(1);
                assertThat(row.ackedAt()).isAfterOrEqualTo(row.deliveredAt());
                assertThat(emulator.exportMessage(p.getKey()).orElseThrow().ackedAt()).isNotNull();
            }
            assertThat(emulator.requestCount(Endpoint.DOWNLOAD)).isEqualTo(3);
            assertThat(emulator.requestCount(Endpoint.ACK)).isEqualTo(3);
            assertThat(ExportFixtures.allFiles(out)).as("no temporary .part- files left").hasSize(3);
            assertThat(ExportFixtures.allFiles(data.resolve("export/zips/work"))).isEmpty();
        }
    }

    @Test
    void the_example_job_unzips_the_emulators_scheduled_packages_into_its_outbox() throws Exception {
        // the shipped routes/ and application.properties, as after the README's run command (schedule shortened)
        try (PackRunner runner = new PackRunner(data).set("rip.export.poll-interval", "300")
                .set("emulator.exports.customer-groups.every", "500ms")
                .set("emulator.exports.customer-groups.rows", "7").start()) {
            Path outbox = data.resolve("export/customer-groups/outbox");
            await().atMost(WAIT).until(() -> files(outbox).size() >= 2);

            for (Path csv : files(outbox).subList(0, 2)) {
                String name = csv.getFileName().toString();
                assertThat(name).matches("Customer groups_\\d{8}T\\d{6}Z_[0-9a-f-]{36}\\.csv");
                byte[] bytes = Files.readAllBytes(csv);
                assertThat(bytes[0]).as("CSV-Unicode: UTF-16LE with BOM, as D365 writes it").isEqualTo((byte) 0xFF);
                List<String> lines = new String(bytes, StandardCharsets.UTF_16LE).substring(1).lines().toList();
                assertThat(lines).hasSize(8);
                assertThat(lines.get(0)).isEqualTo("CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID");
                String correlationId = name.substring(name.length() - 40, name.length() - 4);
                await().atMost(WAIT).until(() -> row(runner, "customer-groups-export", correlationId)
                        .map(r -> r.state() == State.ACKED).orElse(false));
            }
            assertThat(files(outbox)).noneMatch(f -> f.getFileName().toString().toLowerCase().contains("manifest")
                    || f.getFileName().toString().toLowerCase().contains("packageheader"));
        }
    }

    @Test
    void unzipped_entity_files_get_their_own_stylesheet_and_the_others_stay_as_they_are() throws Exception {
        Path routes = data.resolve("routes");
        Path out = data.resolve("out");
        Path xsl = data.resolve("groups-out.xsl");
        Files.writeString(xsl, """
                <xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
                  <xsl:output method="xml" indent="no"/>
                  <xsl:template match="/Document">
                    <groups><xsl:for-each select="*"><group id="{CUSTOMERGROUPID}"><xsl:value-of select="DESCRIPTION"/></group></xsl:for-each></groups>
                  </xsl:template>
                </xsl:stylesheet>
                """);
        ExportFixtures.writeJob(routes, "files", data.resolve("export/files"), "file:" + out, Map.of(
                "unzip", "true", "transform", "# groups as the partner wants them\n*.XML | " + xsl,
                "fileNamePattern", "{name}.{ext}"));
        String currencies = "CURRENCYCODE,NAME\r\nEUR,Euro\r\nUSD,US dollar\r\n";
        try (PackRunner runner = ExportFixtures.runner(data, routes).start()) {
            Path zip = ExportFixtures.dataPackage(data.resolve("package.zip"), new LinkedHashMap<>(Map.of(
                    "Customer groups.xml", "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Document>"
                            + "<CUSTCUSTOMERGROUPENTITY><CUSTOMERGROUPID>10</CUSTOMERGROUPID><DESCRIPTION>Wholesale"
                            + "</DESCRIPTION></CUSTCUSTOMERGROUPENTITY><CUSTCUSTOMERGROUPENTITY><CUSTOMERGROUPID>20"
                            + "</CUSTOMERGROUPID><DESCRIPTION>Retail</DESCRIPTION></CUSTCUSTOMERGROUPENTITY></Document>",
                    "Currencies.csv", currencies)));
            String id = runner.emulator().publish(activity(), zip);

            await().atMost(WAIT).until(() -> row(runner, "files", id).map(r -> r.state() == State.ACKED).orElse(false));
            assertThat(files(out)).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("Customer groups.xml", "Currencies.csv");
            assertThat(Files.readString(out.resolve("Customer groups.xml")))
                    .contains("<groups><group id=\"10\">Wholesale</group><group id=\"20\">Retail</group></groups>");
            assertThat(Files.readString(out.resolve("Currencies.csv"))).isEqualTo(currencies);
            assertThat(row(runner, "files", id).orElseThrow().deliveredFileNames())
                    .containsExactlyInAnyOrder("Customer groups.xml", "Currencies.csv");
            assertThat(ExportFixtures.allFiles(data.resolve("export/files/work"))).isEmpty();
        }
    }

    @Test
    void an_empty_queue_only_costs_a_dequeue_per_poll() throws Exception {
        Path routes = data.resolve("routes");
        Path out = data.resolve("out");
        ExportFixtures.writeJob(routes, "quiet", data.resolve("export/quiet"), "file:" + out, Map.of());
        try (PackRunner runner = ExportFixtures.runner(data, routes).start()) {
            D365Emulator emulator = runner.emulator();
            await().atMost(WAIT).until(() -> emulator.requestCount(Endpoint.DEQUEUE) >= 4);

            assertThat(emulator.requestCount(Endpoint.DOWNLOAD)).isZero();
            assertThat(emulator.requestCount(Endpoint.ACK)).isZero();
            assertThat(ExportFixtures.journal(runner).recent("quiet", 10)).isEmpty();
            assertThat(files(out)).isEmpty();
            assertThat(runner.tokens().tokensAcquired()).as("one token for all polls").isEqualTo(1);
        }
    }

    @Test
    void an_http_port_80_download_location_is_fetched_from_the_d365_base_url() throws Exception {
        Path routes = data.resolve("routes");
        Path out = data.resolve("out");
        // a Quartz cron instead of the interval: every second
        ExportFixtures.writeJob(routes, "lb", data.resolve("export/lb"), "file:" + out, Map.of("cron", "* * * * * ?"));
        try (PackRunner runner = ExportFixtures.runner(data, routes).start()) {
            runner.emulator().downloadLocationHttpPort80(true);
            Path zip = ExportFixtures.dataPackage(data.resolve("p.zip"), Map.of("Customer groups.csv", "A,B\r\n1,2\r\n"));
            String id = runner.emulator().publish(activity(), zip);

            await().atMost(WAIT).until(() -> row(runner, "lb", id).map(r -> r.state() == State.ACKED).orElse(false));
            ExportRecord row = row(runner, "lb", id).orElseThrow();
            assertThat(row.downloadLocation()).as("journaled as D365 sent it").startsWith("http://localhost:80/");
            assertThat(Files.readAllBytes(files(out).get(0))).isEqualTo(Files.readAllBytes(zip));
            assertThat(runner.context().getRoute("export-lb").getEndpoint().getEndpointUri()).contains("cron=");
        }
    }

    @Test
    void a_message_without_a_file_is_journaled_and_reported_but_not_acked_and_the_next_one_is_delivered()
            throws Exception {
        Path routes = data.resolve("routes");
        Path out = data.resolve("out");
        Path jobFolder = data.resolve("export/nofile");
        ExportFixtures.writeJob(routes, "nofile", jobFolder, "file:" + out, Map.of());
        try (PackRunner runner = ExportFixtures.runner(data, routes).start()) {
            D365Emulator emulator = runner.emulator();
            String empty = emulator.publishUnavailable(activity(), "The export file could not be found.");
            Path zip = ExportFixtures.dataPackage(data.resolve("p.zip"), Map.of("Customer groups.csv", "A,B\r\n1,2\r\n"));
            String good = emulator.publish(activity(), zip);

            await().atMost(WAIT).until(() -> row(runner, "nofile", good).map(r -> r.state() == State.ACKED).orElse(false));
            ExportRecord row = row(runner, "nofile", empty).orElseThrow();
            assertThat(row.state()).isEqualTo(State.FAILED);
            assertThat(row.failedPath()).isNull();
            assertThat(row.ackedAt()).isNull();
            assertThat(row.lastError()).contains("without a file").contains("The export file could not be found.");
            assertThat(Files.readString(jobFolder.resolve("failed/nofile_" + empty + ".report.txt")))
                    .contains("FAILED").contains("NOT acknowledged").contains(empty);
            assertThat(emulator.exportMessage(empty).orElseThrow().ackedAt()).isNull();
            assertThat(emulator.requestCount(Endpoint.ACK)).isEqualTo(1);
            assertThat(files(out)).hasSize(1);
        }
    }

    @Test
    void a_poll_takes_at_most_max_messages_per_poll_and_the_next_poll_carries_on() throws Exception {
        Path routes = data.resolve("routes");
        Path out = data.resolve("out");
        ExportFixtures.writeJob(routes, "bounded", data.resolve("export/bounded"), "file:" + out,
                Map.of("maxMessagesPerPoll", "2", "pollInterval", "2000"));
        try (D365Emulator emulator = ExportFixtures.standaloneEmulator(data.resolve("emulator"))) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(emulator.publishGenerated(activity(), 3));
            }
            try (PackRunner runner = ExportFixtures.runner(data.resolve("runner"), routes)
                    .set("d365.base-url", emulator.baseUrl())
                    .set("d365.authority", emulator.authority())
                    .set("d365.truststore.path", emulator.trustStore().toString())
                    .set("d365.truststore.password", emulator.trustStorePassword())
                    .set("d365.client-id", StandaloneEmulator.CLIENT_ID)
                    .set("d365.client-secret", StandaloneEmulator.SECRET).start()) {
                // the first poll (at start) takes two messages and stops without asking for a third
                await().atMost(WAIT).until(() -> files(out).size() == 2);
                assertThat(emulator.requestCount(Endpoint.DEQUEUE)).isEqualTo(2);
                assertThat(row(runner, "bounded", ids.get(2))).isEmpty();

                await().atMost(WAIT).until(() -> files(out).size() == 3);
                await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> row(runner, "bounded", id)
                        .map(r -> r.state() == State.ACKED).orElse(false)));
            }
        }
    }
}
