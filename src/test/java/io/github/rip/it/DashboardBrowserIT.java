package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.rip.journal.ImportJournal.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser (headless Chromium) against the runner with its embedded emulator: files dropped
 * into an inbox show up with their states, a failed file's report opens, a paused job leaves a new file in its inbox
 * until it is resumed, and a failed file is retried after it was fixed. One runner and one browser for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {

    private static final Path SAMPLES = Path.of("docs/samples");
    private static final String JOB = "customer-groups";

    @TempDir
    static Path data;
    PackRunner runner;
    Browser browser;
    Path inbox;

    @RegisterExtension
    final TestWatcher screenshots = Browser.screenshotOnFailure(() -> browser);

    @BeforeAll
    void start() throws Exception {
        runner = new PackRunner(data).set("emulator.exports.customer-groups.every", "0").start();
        inbox = runner.job(JOB).resolve("inbox");
        browser = Browser.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (runner != null) {
            runner.close();
        }
    }

    @BeforeEach
    void openTheJob() {
        browser.open(runner.baseUrl() + "/");
        browser.click(By.cssSelector("#jobs tr[data-job='" + JOB + "']"));
        browser.waitFor("the job's messages", () -> browser.text(By.id("job-name")).equals(JOB));
    }

    @Test
    void droppedFilesAppearWithTheirStatesAndTheFailedOnesReportOpens() throws Exception {
        String xss = "<img src=x onerror=alert(1)>.csv";
        Files.copy(SAMPLES.resolve("customer-groups.csv"), inbox.resolve("good.csv"));
        Files.copy(SAMPLES.resolve("customer-groups-bad-row.csv"), inbox.resolve("bad-row.csv"));
        Files.copy(SAMPLES.resolve("customer-groups.csv"), inbox.resolve(xss));

        browser.waitFor("the three files' final states", () -> browser.newestState("good.csv").orElse("").equals("PROCESSED")
                && browser.newestState("bad-row.csv").orElse("").equals("FAILED")
                && browser.newestState(xss).orElse("").equals("PROCESSED"));

        // the hostile name is text in the grid: no image element was made of it, no script ran
        assertThat(browser.messageRows(xss).get(0).findElement(By.cssSelector("td.name")).getText()).isEqualTo(xss);
        assertThat(browser.driver().findElements(By.tagName("img"))).isEmpty();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        browser.click(By.cssSelector("#messages tr[data-name='bad-row.csv'] td.name"));
        browser.waitFor("the failed file's report", () -> browser.text(By.id("report"))
                .contains("FAILED - D365 reported ProcessedWithErrors"));
        assertThat(browser.text(By.id("report"))).contains("File:        bad-row.csv").contains("Row 2");
        assertThat(browser.text(By.id("d365-answer"))).contains("\"DataJobStatus\"").contains("CUSTOMERGROUPID");
    }

    @Test
    void aPausedJobLeavesANewFileInItsInboxUntilItIsResumed() throws Exception {
        browser.click(By.cssSelector("#jobs tr[data-job='" + JOB + "'] button[data-action='pause']"));
        browser.waitFor("the job shown paused", () -> browser.text(By.cssSelector("#jobs tr[data-job='" + JOB
                + "'] td.state")).startsWith("paused"));

        Files.copy(SAMPLES.resolve("customer-groups.csv"), inbox.resolve("while-paused.csv"));
        // far longer than the test runner's read lock (300 ms) and poll delay (200 ms): a running job takes it in 1 s
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> Files.exists(inbox.resolve("while-paused.csv"))
                        && runner.journal().latest(JOB, "while-paused.csv").isEmpty());

        browser.click(By.cssSelector("#jobs tr[data-job='" + JOB + "'] button[data-action='resume']"));
        browser.waitFor("the file processed after the resume",
                () -> browser.newestState("while-paused.csv").orElse("").equals("PROCESSED"));
        browser.click(By.cssSelector("#actions-log summary"));
        browser.waitFor("both actions journaled with who did them", () -> browser.text(By.id("actions-list"))
                .matches("(?s).*local · resume · done.*local · pause · done.*"));
    }

    @Test
    void aFailedFileIsRetriedThroughTheSameJobAfterItWasFixed() throws Exception {
        Files.copy(SAMPLES.resolve("customer-groups-bad-row.csv"), inbox.resolve("fix-me.csv"));
        browser.waitFor("the file failed", () -> browser.newestState("fix-me.csv").orElse("").equals("FAILED"));

        // the operator corrects the file where the runner archived it, then asks for a retry
        Path failed = runner.job(JOB).resolve("failed/fix-me.csv");
        Files.copy(SAMPLES.resolve("customer-groups.csv"), failed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        browser.click(By.cssSelector("#messages tr[data-name='fix-me.csv'][data-state='FAILED'] td.name"));
        browser.click(By.cssSelector("#detail-actions button[data-action='retry']"));

        browser.waitFor("a new attempt, processed", () -> browser.newestState("fix-me.csv").orElse("").equals("PROCESSED"));
        List<String> states = browser.messageRows("fix-me.csv").stream().map(r -> r.getDomAttribute("data-state")).toList();
        assertThat(states).containsExactly("PROCESSED", "FAILED");
        assertThat(runner.journal().latest(JOB, "fix-me.csv").orElseThrow().state()).isEqualTo(State.PROCESSED);
        assertThat(browser.text(By.id("notice"))).contains("back in the inbox");
    }
}
