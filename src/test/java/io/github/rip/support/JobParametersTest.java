package io.github.rip.support;

import java.time.Duration;

import io.github.rip.exporting.ExportJob;
import io.github.rip.exporting.ExportJobSettings;
import io.github.rip.importing.ImportJobSettings;
import io.github.rip.sftp.SftpInbox;
import io.github.rip.sftp.SftpInboxSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job settings' setters refuse what the templates' parameters do not accept, naming job, parameter and values. */
class JobParametersTest {

    @Test
    void duplicatePolicyIsRejectOrAllowNothingElse() {
        ImportJobSettings job = new ImportJobSettings();
        job.setName("customer-groups");
        assertThatThrownBy(() -> job.setDuplicatePolicy("rejct")).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("job 'customer-groups': duplicatePolicy: 'rejct' is not accepted; write one of: reject, "
                        + "allow");
        job.setDuplicatePolicy(" Allow ");
        job.setDuplicatePolicy("reject");
    }

    @Test
    void aSetterCalledBeforeTheNameStillNamesParameterValueAndAcceptedValues() {
        // Camel sets a bean's properties in alphabetical order: allowLinks before name
        assertThatThrownBy(() -> new ImportJobSettings().setAllowLinks("yes"))
                .hasMessage("allowLinks: 'yes' is not accepted; write true or false");
    }

    @Test
    void booleansAreTrueOrFalse() {
        ImportJobSettings importJob = new ImportJobSettings();
        importJob.setAllowLinks("TRUE");
        assertThat(importJob.isAllowLinks()).isTrue();
        ExportJobSettings export = new ExportJob().getSettings();
        export.setName("groups-out");
        for (String bad : new String[] {"yes", "1", "", "on"}) {
            assertThatThrownBy(() -> export.setUnzip(bad)).hasMessageContaining("job 'groups-out': unzip: '" + bad
                    + "'").hasMessageContaining("true or false");
            assertThatThrownBy(() -> export.setKeepPackageFiles(bad)).hasMessageContaining("keepPackageFiles");
            assertThatThrownBy(() -> export.setAckWithoutFile(bad)).hasMessageContaining("ackWithoutFile");
        }
    }

    @Test
    void exportChoicesAndDurations() {
        ExportJobSettings export = new ExportJob().getSettings();
        export.setName("groups-out");
        assertThatThrownBy(() -> export.setDuplicates("dliver"))
                .hasMessage("job 'groups-out': duplicates: 'dliver' is not accepted; write one of: skip, deliver");
        assertThatThrownBy(() -> export.setDuplicateContentWindow("24H"))
                .hasMessageStartingWith("job 'groups-out': duplicateContentWindow: '24H' is not a duration (units are "
                        + "lower case: 24h)");
        export.setDuplicateContentWindow("0");
        export.setDuplicates("DELIVER");
    }

    @Test
    void sftpChoicesAndDurations() {
        SftpInboxSettings inbox = new SftpInbox().getSettings();
        inbox.setJobName("partner-a");
        assertThatThrownBy(() -> inbox.setAfterImport("remove"))
                .hasMessage("job 'partner-a': afterImport: 'remove' is not accepted; write one of: move, delete");
        assertThatThrownBy(() -> inbox.setStrictHostKeyChecking("false"))
                .hasMessage("job 'partner-a': strictHostKeyChecking: 'false' is not accepted; write one of: yes, no");
        assertThatThrownBy(() -> inbox.setReadLockMinAge("PT10S"))
                .hasMessageContaining("readLockMinAge: 'PT10S' is not a duration (ISO-8601 is not accepted; PT10S is "
                        + "10s)");
        assertThatThrownBy(() -> inbox.setProblemReminder("10 minutes")).hasMessageContaining("problemReminder");
        inbox.setAfterImport("Delete");
        inbox.setStrictHostKeyChecking("no");
        inbox.setReadLockMinAge("10s");
    }

    @Test
    void theCheckJudgesTemplateParametersWithTheSameRules() {
        assertThat(JobParameters.problem("duplicatePolicy", "reject")).isNull();
        assertThat(JobParameters.problem("readLockMinAge", "2s")).isNull();
        assertThat(JobParameters.problem("pollInterval", "30000")).isNull();
        assertThat(JobParameters.problem("pollInterval", "30s")).contains("plain digits");
        assertThat(JobParameters.problem("port", "70000")).isEqualTo(
                "port: '70000' is not accepted; write a whole number from 1 to 65535");
        assertThat(JobParameters.problem("maxMessagesPerPoll", "0")).contains("at least 1");
        assertThat(JobParameters.problem("include", "*.csv"))
                .startsWith("include: '*.csv' is not a regular expression");
        assertThat(JobParameters.problem("entity", "anything")).isNull();
        assertThat(JobParameters.problem("cron", "0 0/5 * * * ?")).isNull();
        assertThat(JobParameters.problem("cron", "every 5 minutes")).startsWith("cron: 'every 5 minutes' is not a "
                + "Quartz cron expression");
        assertThat(JobParameters.duration("j", "timeout", "1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(JobParameters.problem("timeZone", "Europe/Berlin")).isNull();
        assertThat(JobParameters.problem("timeZone", "")).isNull();
        assertThat(JobParameters.problem("timeZone", "Europe/Berln")).isEqualTo("timeZone: 'Europe/Berln' is not a "
                + "time zone; write a region id such as Europe/Berlin or America/New_York, or UTC");
        assertThatThrownBy(() -> new io.github.rip.importing.ImportPollScheduler().setCron("0 0 25 * * ?"))
                .hasMessageStartingWith("cron: '0 0 25 * * ?' is not a Quartz cron expression");
    }

    @Test
    void suggestsTheNameMeant() {
        var names = java.util.List.of("jobName", "activityId", "entity", "duplicatePolicy", "readLockMinAge");
        assertThat(Suggestions.closest("actvityId", names)).contains("activityId");
        assertThat(Suggestions.closest("duplicatepolicy", names)).contains("duplicatePolicy");
        assertThat(Suggestions.closest("read-lock-min-age", names)).contains("readLockMinAge");
        assertThat(Suggestions.closest("target", names)).isEmpty();
    }
}
