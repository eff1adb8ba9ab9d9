package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.rip.PackConfiguration;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Try it in two minutes", tested the way Camel's own main-yaml example is: Camel's main test support
 * starts the runner exactly as {@code java -jar} does (application.properties, the pack's templates, the example
 * routes/, the embedded emulator), the four sample drops go into their inboxes, and a {@link NotifyBuilder} waits
 * until the example import jobs' routes have taken all four (claim, package or XSLT, enqueue, sent/). The other end-to-end tests use {@link PackRunner}, because they
 * restart, reconfigure or kill the runner between steps, which this support (one context per test) does not do.
 */
class QuickStartIT extends CamelMainTestSupport {

    private static final Path SAMPLES = Path.of("docs/samples");
    private static final Path DATA = createData();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(PackConfiguration.class);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties overrides = new Properties();
        overrides.setProperty("rip.data-dir", DATA.toString());
        overrides.setProperty("rip.import.read-lock-min-age", "300ms");
        overrides.setProperty("rip.import.poll-delay", "200");
        overrides.setProperty("rip.status.poll-interval", "200");
        overrides.setProperty("emulator.processing-delay", "200ms");
        overrides.setProperty("camel.server.port", "0"); // the dashboard on any free port, not 8080
        return overrides;
    }

    @Test
    void theSampleDropsEndInProcessedAndFailedWithReports() throws Exception {
        NotifyBuilder allTaken = new NotifyBuilder(context).fromRoute("import-*").whenDone(4).create();

        Files.copy(SAMPLES.resolve("customer-groups.csv"), inbox("customer-groups").resolve("customer-groups.csv"));
        Files.copy(SAMPLES.resolve("customer-groups-bad-row.csv"),
                inbox("customer-groups").resolve("customer-groups-bad-row.csv"));
        Files.copy(SAMPLES.resolve("vendor-groups.xml"), inbox("vendor-groups").resolve("vendor-groups.xml"));
        copyFolder(SAMPLES.resolve("master-data-batch"), inbox("master-data-package").resolve("master-data-batch"));

        assertThat(allTaken.matches(60, TimeUnit.SECONDS)).as("all four drops went through the import pipeline").isTrue();
        assertThat(report("customer-groups", "processed", "customer-groups.csv")).contains("PROCESSED");
        assertThat(report("customer-groups", "failed", "customer-groups-bad-row.csv"))
                .contains("ProcessedWithErrors").containsPattern("[Rr]ow 2");
        assertThat(report("vendor-groups", "processed", "vendor-groups.xml")).contains("PROCESSED");
        assertThat(report("master-data-package", "processed", "master-data-batch.zip")).contains("PROCESSED");
        assertThat(inbox("customer-groups")).isEmptyDirectory();
        assertThat(inbox("vendor-groups")).isEmptyDirectory();
    }

    private static Path inbox(String job) {
        return DATA.resolve("import").resolve(job).resolve("inbox");
    }

    /** Waits for the report the status monitor writes once D365's status is final, and returns it. */
    private static String report(String job, String folder, String file) throws Exception {
        Path report = DATA.resolve("import").resolve(job).resolve(folder).resolve(file + ".report.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));
        return Files.readString(report);
    }

    /** As {@code cp -r} does it, except that the batch.ready marker is written last, as the README asks. */
    private static void copyFolder(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.comparing(f -> f.endsWith("batch.ready")))::iterator) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static Path createData() {
        try {
            return Files.createTempDirectory("rip-quick-start");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void deleteData() {
        FileUtil.removeDir(DATA.toFile());
    }
}
