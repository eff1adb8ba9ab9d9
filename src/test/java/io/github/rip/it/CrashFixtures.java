package io.github.rip.it;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.EmulatorConfig;

/**
 * What the kill tests ({@link CrashSafetyIT}, {@link ClusterIT}) share: the emulator as the shipped emulator.yaml
 * configures it, the files they drip into an inbox, the export messages they publish, and the jobs they run.
 */
final class CrashFixtures {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^:}]+)(?::([^}]*))?}}");
    private static final Properties APP = applicationProperties();

    private CrashFixtures() {
    }

    /**
     * The emulator of the shipped emulator.yaml (as {@link StandaloneEmulator} configures it) but with the demo export
     * schedule off (a package published by it after the last check would look like an undelivered message) and a short
     * visibility timeout, so D365 offers a message again soon after the runner holding it died.
     */
    static D365Emulator startEmulator(Path dir, Duration visibility) throws IOException {
        Properties props = new Properties();
        props.putAll(APP);
        props.setProperty("d365.client-id", StandaloneEmulator.CLIENT_ID);
        props.setProperty("d365.client-secret", StandaloneEmulator.SECRET);
        props.setProperty("emulator.exports.customer-groups.every", "0");
        EmulatorConfig config = EmulatorConfig.loadDefault(text -> resolve(text, props)).toBuilder()
                .dataDir(dir).port(0).processingDelay(Duration.ofMillis(300)).processingTime(Duration.ofMillis(100))
                .visibilityTimeout(visibility).build();
        return D365Emulator.start(config);
    }

    /** Small valid customer-groups CSVs with distinct names and rows, in drip order. */
    static Map<String, byte[]> csvFiles(Random random, int count) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            StringBuilder csv = new StringBuilder("CUSTOMERGROUPID,DESCRIPTION\r\n");
            for (int row = 1, rows = 1 + random.nextInt(5); row <= rows; row++) {
                csv.append(String.format("C%04d%d,Crash test file %d row %d\r\n", i, row, i, row));
            }
            files.put(String.format("groups-%04d.csv", i), csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** Writes files elsewhere and renames them into the inbox, so none is ever seen half-written. */
    static void drop(Map<String, byte[]> files, Path inbox, Path staging) throws IOException {
        Files.createDirectories(staging);
        Files.createDirectories(inbox);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path written = Files.write(staging.resolve(file.getKey()), file.getValue());
            Files.move(written, inbox.resolve(file.getKey()), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** One folder import job and one export job to a folder (unzipped), as a user writes them in routes/. */
    static Path writeRoutes(Path routes, String importJob, String exportJob) throws IOException {
        return writeRoutes(routes, importJob, exportJob, 1);
    }

    /** The same, with the import job working on up to {@code maxInFlight} files at a time. */
    static Path writeRoutes(Path routes, String importJob, String exportJob, int maxInFlight) throws IOException {
        Files.createDirectories(routes);
        Files.writeString(routes.resolve("crash.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: d365-file-import
                    routeId: import-%1$s
                    parameters:
                      - { name: jobName, value: %1$s }
                      - { name: activityId, value: "{{import.customer-groups.activity-id}}" }
                      - { name: entity, value: Customer groups }
                      - { name: company, value: "{{import.company}}" }
                      - { name: jobFolder, value: "{{rip.data-dir}}/import/%1$s" }
                      - { name: include, value: ".*\\\\.csv" }
                      - { name: maxInFlight, value: "%3$d" }
                - templatedRoute:
                    routeTemplateRef: d365-export
                    routeId: export-%2$s
                    parameters:
                      - { name: jobName, value: %2$s }
                      - { name: activityId, value: "{{export.customer-groups.activity-id}}" }
                      - { name: jobFolder, value: "{{rip.data-dir}}/export/%2$s" }
                      - { name: target, value: "file:{{rip.data-dir}}/export/%2$s/outbox" }
                      - { name: unzip, value: "true" }
                """.formatted(importJob, exportJob, maxInFlight));
        return routes;
    }

    /** The activity id of the customer-groups import or export job in application.properties. */
    static String activity(String direction) {
        return APP.getProperty(direction + ".customer-groups.activity-id");
    }

    private static String resolve(String text, Properties props) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(props.getProperty(m.group(1),
                    m.group(2) == null ? "" : m.group(2))));
        }
        return m.appendTail(out).toString();
    }

    private static Properties applicationProperties() {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        props.replaceAll((key, value) -> value.toString().trim());
        return props;
    }
}
