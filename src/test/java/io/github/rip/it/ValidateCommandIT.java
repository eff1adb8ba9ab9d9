package io.github.rip.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.rip.RecurringIntegrationsPack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner as an operator and CI run it, a JVM of its own configured through the environment: {@code validate} (exit
 * code and printed problems) and a start that fails while the embedded emulator runs (the JVM must end).
 */
class ValidateCommandIT {

    /** Generous for a loaded 2-core CI machine; a healthy run takes seconds. */
    private static final long TIMEOUT_SECONDS = 180;
    /** Nothing from the surrounding shell may configure the runner under test. */
    private static final List<String> FOREIGN_PREFIXES = List.of("RIP_", "D365_", "CAMEL_", "EMULATOR_", "IMPORT_",
            "EXPORT_", "SFTP_");

    @TempDir
    Path temp;

    @Test
    void validateAcceptsTheShippedConfigurationWithoutTouchingAnInbox() throws Exception {
        Path data = temp.resolve("data");
        Path inbox = Files.createDirectories(data.resolve("import/customer-groups/inbox"));
        Path waiting = Files.copy(Path.of("docs/samples/customer-groups.csv"), inbox.resolve("customer-groups.csv"));

        Run run = run(Map.of("RIP_DATA_DIR", data.toString()), "validate");

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("configuration OK: 4 jobs");
        assertThat(waiting).exists();
        assertThat(data.resolve("import/customer-groups/sent")).doesNotExist();
        // offline: no embedded emulator, and the journal was not opened (validating beside a running pack is safe)
        assertThat(data.resolve("emulator")).doesNotExist();
        assertThat(data.resolve("db")).doesNotExist();
    }

    @Test
    void validateListsEveryProblemAndExitsWithOne() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path groups = ConfigurationCheckIT.JobFiles.fileImport(routes, "groups", Map.of("duplicatePolicy", "rejct",
                "readLockMinAge", "PT2S"));
        Path vendors = ConfigurationCheckIT.JobFiles.write(routes, "vendors", "d365-file-import", Map.of(
                "jobName", "vendors", "actvityId", "{{import.vendor-groups.activity-id}}", "entity", "Vendor groups",
                "jobFolder", "{{rip.data-dir}}/import/vendors"));

        Run run = run(Map.of("RIP_DATA_DIR", temp.resolve("data").toString(), "RIP_ROUTES_DIR", routes.toString(),
                "RIP_STATUS_OVERDUE_AFTER", "24H"), "validate");

        assertThat(run.exitCode).as(run.output).isEqualTo(1);
        assertThat(run.output.lines()).contains(
                "environment variable RIP_STATUS_OVERDUE_AFTER: rip.status.overdue-after: '24H' is not a duration "
                        + "(units are lower case: 24h); write a whole number with a lower-case unit (500ms, 30s, 5m, "
                        + "2h, 1d), units combined largest first (1h30m), or plain digits for milliseconds (1000)",
                groups + ", job 'groups' (route import-groups): duplicatePolicy: 'rejct' is not accepted; write one "
                        + "of: reject, allow",
                groups + ", job 'groups' (route import-groups): readLockMinAge: 'PT2S' is not a duration (ISO-8601 is "
                        + "not accepted; PT2S is 2s); write a whole number with a lower-case unit (500ms, 30s, 5m, 2h, "
                        + "1d), units combined largest first (1h30m), or plain digits for milliseconds (1000)",
                vendors + ", job 'vendors' (route import-vendors): the template d365-file-import has no parameter "
                        + "'actvityId' (did you mean activityId?)",
                vendors + ", job 'vendors' (route import-vendors): the required parameter activityId is missing",
                "configuration NOT OK: 5 problem(s)");
    }

    @Test
    void validateAcceptsAJobOfANamedEnvironmentAndRefusesOneNamingAnUnknownEnvironment() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-test", Map.of("environment", "test"));
        // configured through the environment only, without a secret, as in CI
        Map<String, String> env = Map.of("RIP_DATA_DIR", temp.resolve("data").toString(),
                "RIP_ROUTES_DIR", routes.toString(),
                "D365_ENVIRONMENTS_TEST_BASE_URL", "https://contoso-test.sandbox.operations.dynamics.com",
                "D365_ENVIRONMENTS_TEST_CLIENT_ID", "22222222-3333-4444-5555-666666666666");

        Run accepted = run(env, "validate");
        assertThat(accepted.exitCode).as(accepted.output).isZero();
        assertThat(accepted.output).contains("configuration OK: 1 jobs");

        Path stray = ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-qa", Map.of("environment", "qa"));
        Run refused = run(env, "validate");
        assertThat(refused.exitCode).as(refused.output).isEqualTo(1);
        assertThat(refused.output.lines()).contains(stray + ", job 'groups-qa' (route import-groups-qa): environment: "
                + "'qa' is not a configured D365 environment; write one of: test, or leave it empty for the default "
                + "environment (d365.base-url)");
    }

    @Test
    void validateOnlineAsksD365AboutEachJob() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Files.copy(Path.of("routes/customer-groups.camel.yaml"), routes.resolve("customer-groups.camel.yaml"));
        Files.copy(Path.of("routes/customer-groups-export.camel.yaml"),
                routes.resolve("customer-groups-export.camel.yaml"));
        String unknown = "6d31e09f-0000-4000-8000-00000000dead";
        Path stray = ConfigurationCheckIT.JobFiles.fileImport(routes, "stray", Map.of("activityId", unknown));

        Run run = run(Map.of("RIP_DATA_DIR", temp.resolve("data").toString(), "RIP_ROUTES_DIR", routes.toString()),
                "validate", "--online");

        assertThat(run.exitCode).as(run.output).isEqualTo(1);
        assertThat(run.output.lines().filter(line -> line.contains("jobstatus"))).singleElement().asString()
                .startsWith(stray + ", job 'stray' (route import-stray): jobstatus for activity " + unknown
                        + " answered HTTP 404")
                .contains("was not found");
        assertThat(run.output).contains("configuration NOT OK: 1 problem(s)");
    }

    @Test
    void aStartRefusedWhileTheEmbeddedEmulatorRunsEndsTheJvm() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path typo = ConfigurationCheckIT.JobFiles.write(routes, "groups", "d365-file-imprt",
                Map.of("jobName", "groups"));

        Run run = run(Map.of("RIP_DATA_DIR", temp.resolve("data").toString(), "RIP_ROUTES_DIR", routes.toString()));

        assertThat(run.exitCode).as(run.output).isEqualTo(1);
        assertThat(run.output).contains("D365 emulator listening on")
                .contains("Not started: " + typo + ", job 'groups' (route import-groups): routeTemplateRef "
                        + "'d365-file-imprt' names no template (did you mean d365-file-import?)");
    }

    private record Run(int exitCode, String output) {
    }

    /** {@code java -cp <test class path> RecurringIntegrationsPack args} in the repository root; waits for its end. */
    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), RecurringIntegrationsPack.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(temp, "runner", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> FOREIGN_PREFIXES.stream().anyMatch(name::startsWith));
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putIfAbsent("EMULATOR_EXPORTS_CUSTOMER_GROUPS_EVERY", "0");
        all.putIfAbsent("CAMEL_SERVER_PORT", "0"); // a start must not need 8080 free
        builder.environment().putAll(all);
        Process process = builder.start();
        try {
            boolean ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(ended).as("the runner must end by itself within %d s; its output:%n%s", TIMEOUT_SECONDS,
                    output).isTrue();
            return new Run(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
