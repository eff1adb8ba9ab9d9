package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import io.github.rip.journal.ImportJournal.State;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronTrigger;
import org.quartz.TriggerKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Import jobs with a schedule (RIS's recurrence): a job with a {@code cron} looks at its inbox only at the schedule's
 * fire times, read in its {@code timeZone}; files that arrive in between wait in the inbox, untouched and unjournaled.
 */
class ImportScheduleIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");

    @TempDir
    Path temp;

    @Test
    void aFileWaitsInTheInboxUntilTheJobsScheduleFires() throws Exception {
        Path routes = Files.createDirectories(temp.resolve("routes"));
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-always", Map.of());
        // fires once, at 22:00 on 1 January 2099 in Auckland: never during this test
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-nightly", Map.of("cron", "0 0 22 1 1 ? 2099",
                "timeZone", "Pacific/Auckland", "duplicatePolicy", "allow"));
        ConfigurationCheckIT.JobFiles.fileImport(routes, "groups-every-second", Map.of("cron", "* * * * * ?",
                "duplicatePolicy", "allow"));

        try (PackRunner runner = new PackRunner(temp.resolve("data")).set("rip.routes-dir", routes.toString())
                .set("emulator.exports.customer-groups.every", "0").start()) {
            CronTrigger nightly = (CronTrigger) runner.context().getComponent("quartz", QuartzComponent.class)
                    .getScheduler().getTrigger(TriggerKey.triggerKey("groups-nightly", "rip-import"));
            assertThat(nightly.getCronExpression()).isEqualTo("0 0 22 1 1 ? 2099");
            assertThat(nightly.getTimeZone().getID()).isEqualTo("Pacific/Auckland");
            assertThat(nightly.getNextFireTime().toInstant()).isEqualTo(
                    ZonedDateTime.of(2099, 1, 1, 22, 0, 0, 0, ZoneId.of("Pacific/Auckland")).toInstant());

            Files.copy(SAMPLE, runner.job("groups-nightly").resolve("inbox/groups.csv"));
            Files.copy(SAMPLE, runner.job("groups-every-second").resolve("inbox/groups.csv"));
            Files.copy(SAMPLE, runner.job("groups-always").resolve("inbox/groups.csv"));

            // the job that polls every pollDelay and the one whose cron fires every second both take their file
            assertThat(runner.awaitOutcome("groups-always", "groups.csv")).startsWith("processed");
            assertThat(runner.awaitOutcome("groups-every-second", "groups.csv")).startsWith("processed");
            assertThat(runner.journal().latest("groups-every-second", "groups.csv").orElseThrow().state())
                    .isEqualTo(State.PROCESSED);
            // meanwhile the nightly job has not looked: its file is where it was dropped, and not in the journal
            assertThat(runner.job("groups-nightly").resolve("inbox/groups.csv")).exists();
            assertThat(runner.journal().latest("groups-nightly", "groups.csv")).isEmpty();

            // a scheduled job stopped and started again (as a paused and resumed job is) keeps its schedule
            runner.context().getRouteController().stopRoute("import-groups-every-second");
            runner.context().getRouteController().startRoute("import-groups-every-second");
            Files.copy(SAMPLE, runner.job("groups-every-second").resolve("inbox/groups-2.csv"));
            assertThat(runner.awaitOutcome("groups-every-second", "groups-2.csv")).startsWith("processed");
        }
    }
}
