package io.github.rip.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.rip.support.StartFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A configuration that cannot work stops the start with one line per problem naming the file, the setting or job and
 * parameter, the value and what is accepted: the lines the runner logs as "Not started: …" ({@link StartFailure}).
 */
class ConfigurationCheckIT {

    @TempDir
    Path temp;

    @Test
    void aDurationCamelWouldReadAsZeroStopsTheStartNamingTheSetting() throws Exception {
        Path data = temp.resolve("data");
        try (PackRunner runner = new PackRunner(data).set("rip.retry.max-backoff", "15M")) {
            List<String> lines = failedStart(runner);

            assertThat(lines).containsExactly("override property: rip.retry.max-backoff: '15M' is not a duration "
                    + "(units are lower case: 15m); write a whole number with a lower-case unit (500ms, 30s, 5m, 2h, "
                    + "1d), units combined largest first (1h30m), or plain digits for milliseconds (1000)");
            // refused before the journal was opened or the emulator started
            assertThat(data.resolve("db")).doesNotExist();
            assertThat(data.resolve("emulator")).doesNotExist();
        }
    }

    @Test
    void aValueTheParameterDoesNotTakeStopsTheStartNamingFileJobParameterAndAcceptedValues() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path file = JobFiles.fileImport(routes, "groups", Map.of("duplicatePolicy", "rejct"));

        List<String> lines = failedStart(runner(routes));

        assertThat(lines).containsExactly(file + ", job 'groups' (route import-groups): duplicatePolicy: 'rejct' is "
                + "not accepted; write one of: reject, allow");
    }

    @Test
    void aCompanyPatternWithoutItsGroupOrSubfoldersOnSftpStopTheStartNamingFileJobAndParameter() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path file = JobFiles.fileImport(routes, "groups", Map.of("companyFrom", "name:([a-z]{4})_.*",
                "allowedCompanies", "USMF;DEMF"));
        Path sftp = JobFiles.write(routes, "partner", "d365-sftp-import", Map.of("jobName", "partner",
                "activityId", "{{import.customer-groups.activity-id}}", "entity", "Customer groups",
                "jobFolder", "{{rip.data-dir}}/import/partner", "host", "localhost", "username", "rip",
                "remoteFolder", "outgoing", "companyFrom", "subfolder"));

        List<String> lines = failedStart(runner(routes));

        assertThat(lines).containsExactlyInAnyOrder(
                file + ", job 'groups' (route import-groups): companyFrom: '([a-z]{4})_.*' has no group named company; "
                        + "write the part of the name that is the company as (?<company>...), e.g. "
                        + "name:(?<company>[a-z0-9]{3,4})_.*",
                file + ", job 'groups' (route import-groups): allowedCompanies: 'USMF;DEMF' is not a legal entity id; "
                        + "write D365 company ids (up to four letters or digits) separated by commas, e.g. USMF, DEMF, "
                        + "or nothing for any company",
                sftp + ", job 'partner' (route import-partner): companyFrom: subfolder is not supported for SFTP "
                        + "inboxes; use companyFrom: name:<pattern> or one job per company");
    }

    @Test
    void anUnknownParameterIsRefusedWithTheNameMeant() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path file = JobFiles.write(routes, "groups", "d365-file-import", Map.of("jobName", "groups",
                "actvityId", "{{import.customer-groups.activity-id}}", "entity", "Customer groups",
                "jobFolder", "{{rip.data-dir}}/import/groups", "duplicatPolicy", "allow"));

        List<String> lines = failedStart(runner(routes));

        String where = file + ", job 'groups' (route import-groups): ";
        assertThat(lines).containsExactlyInAnyOrder(
                where + "the template d365-file-import has no parameter 'actvityId' (did you mean activityId?)",
                where + "the template d365-file-import has no parameter 'duplicatPolicy' (did you mean "
                        + "duplicatePolicy?)",
                where + "the required parameter activityId is missing");
    }

    @Test
    void aTemplateTypoNamesTheFileAndTheTemplatesThatExist() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path file = JobFiles.write(routes, "groups", "d365-file-imprt", Map.of("jobName", "groups"));

        List<String> lines = failedStart(runner(routes));

        assertThat(lines).containsExactly(file + ", job 'groups' (route import-groups): routeTemplateRef "
                + "'d365-file-imprt' names no template (did you mean d365-file-import?); the templates are: "
                + "d365-export, d365-file-import, d365-package-api-export, d365-package-api-import, "
                + "d365-package-import, d365-sftp-import");
    }

    @Test
    void aJobNamingAnEnvironmentThatIsNotConfiguredStopsTheStartNamingTheOnesThatAre() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        Path file = JobFiles.fileImport(routes, "groups", Map.of("environment", "prdo"));

        List<String> lines = failedStart(runner(routes)
                .set("d365.environments.prod.base-url", "https://contoso.operations.dynamics.com")
                .set("d365.environments.prod.client-id", "11111111-2222-3333-4444-555555555555")
                .set("d365.environments.prod.client-secret", "prod-secret"));

        assertThat(lines).containsExactly(file + ", job 'groups' (route import-groups): environment: 'prdo' is not a "
                + "configured D365 environment (did you mean prod?); write one of: prod, or leave it empty for the "
                + "default environment (d365.base-url)");
    }

    @Test
    void anEnvironmentWithoutClientIdStopsTheStartNamingTheSetting() throws Exception {
        Path data = temp.resolve("data");
        try (PackRunner runner = new PackRunner(data)
                .set("d365.environments.test.base-url", "https://contoso-test.sandbox.operations.dynamics.com")) {
            List<String> lines = failedStart(runner);

            assertThat(lines).containsExactly("application.properties: d365.environments.test.client-id is not set; "
                    + "environment 'test' is configured (d365.environments.test.*) and every environment needs "
                    + "base-url and client-id (or set the environment variable D365_ENVIRONMENTS_TEST_CLIENT_ID)");
            assertThat(data.resolve("db")).as("refused before the journal was opened").doesNotExist();
        }
    }

    @Test
    void aJobFileAcceptedByTheCheckStillStartsAndRuns() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        JobFiles.fileImport(routes, "groups", Map.of("duplicatePolicy", "Allow", "readLockMinAge", "1s500ms",
                "include", ".*\\.csv"));
        try (PackRunner runner = runner(routes).start()) {
            Files.copy(Path.of("docs/samples/customer-groups.csv"),
                    runner.job("groups").resolve("inbox/customer-groups.csv"));

            assertThat(runner.awaitOutcome("groups", "customer-groups.csv")).startsWith("processed");
        }
    }

    private PackRunner runner(Path routes) {
        return new PackRunner(temp.resolve("data")).set("rip.routes-dir", routes.toString())
                .set("emulator.exports.customer-groups.every", "0");
    }

    /** Starts the runner expecting a refusal; the lines are what the runner logs before it exits. */
    private static List<String> failedStart(PackRunner runner) throws Exception {
        try {
            Throwable failure = catchThrowable(runner::start);
            assertThat(failure).as("the start must be refused").isNotNull();
            return StartFailure.describe(failure, runner.context());
        } finally {
            StartFailure.release(runner.context());
            runner.close();
        }
    }

    /** Job files (templatedRoute blocks) as a user writes them into routes/. */
    static final class JobFiles {

        private JobFiles() {
        }

        /** A d365-file-import job for the emulator's customer-groups activity, its folder under the data folder. */
        static Path fileImport(Path routes, String jobName, Map<String, String> extra) throws IOException {
            Map<String, String> parameters = new java.util.LinkedHashMap<>();
            parameters.put("jobName", jobName);
            parameters.put("activityId", "{{import.customer-groups.activity-id}}");
            parameters.put("entity", "Customer groups");
            parameters.put("jobFolder", "{{rip.data-dir}}/import/" + jobName);
            parameters.putAll(extra);
            return write(routes, jobName, "d365-file-import", parameters);
        }

        static Path write(Path routes, String jobName, String template, Map<String, String> parameters)
                throws IOException {
            StringBuilder yaml = new StringBuilder("# test job " + jobName + "\n- templatedRoute:\n"
                    + "    routeTemplateRef: " + template + "\n    routeId: " + (template.contains("export") ? "export-"
                    : "import-") + jobName + "\n    parameters:\n");
            parameters.forEach((name, value) -> yaml.append("      - name: ").append(name)
                    .append("\n        value: '").append(value.replace("'", "''")).append("'\n"));
            return Files.writeString(routes.resolve(jobName + ".camel.yaml"), yaml.toString());
        }
    }
}
