package io.github.rip.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.awaitility.Awaitility.await;

/**
 * Test fixture: Debian's headless Chromium driven through Debian's chromedriver (installed by .ci/run; nothing is
 * downloaded at run time: both paths are given, so Selenium Manager is never asked). The dashboard redraws its tables
 * every few seconds, so elements are looked up again on every attempt instead of being held.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("rip.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("rip.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static Browser start() {
        for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(program)) {
                throw new IllegalStateException(program + " is missing: apt-get install -y chromium chromium-driver "
                        + "(.ci/run does it)");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    void open(String url) {
        driver.get(url);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Clicks the element once it is there and clickable (retried while the page redraws it). */
    void click(By by) {
        await().atMost(PATIENCE).ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException
                        || e instanceof NoSuchElementException || e instanceof ElementClickInterceptedException)
                .until(() -> {
                    driver.findElement(by).click();
                    return true;
                });
    }

    /** Waits until the page shows what {@code condition} looks for (evaluated against freshly found elements). */
    void waitFor(String what, Supplier<Boolean> condition) {
        // one predicate: each ignoreExceptions... call of Awaitility replaces the previous one
        await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsMatching(e -> e instanceof StaleElementReferenceException
                        || e instanceof NoSuchElementException)
                .until(condition::get);
    }

    String text(By by) {
        return driver.findElement(by).getText();
    }

    /** The rows of the messages grid showing this file name (or correlation id), newest first. */
    List<WebElement> messageRows(String name) {
        return driver.findElements(By.cssSelector("#messages tbody tr")).stream()
                .filter(row -> name.equals(row.getDomAttribute("data-name"))).toList();
    }

    /** The state of the newest grid row of this file, if it is shown. */
    Optional<String> newestState(String name) {
        return messageRows(name).stream().findFirst().map(row -> row.getDomAttribute("data-state"));
    }

    /** Saves what the browser shows into the build folder (failsafe sets rip.test.output). */
    Path screenshot(String name) throws IOException {
        Path folder = Path.of(System.getProperty("rip.test.output", "target"), "dashboard-screenshots");
        Files.createDirectories(folder);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = folder.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** A JUnit extension that takes a screenshot when a test fails (the browser is still open then). */
    static TestWatcher screenshotOnFailure(Supplier<Browser> browser) {
        return new TestWatcher() {
            @Override
            public void testFailed(ExtensionContext context, Throwable cause) {
                Browser current = browser.get();
                if (current == null) {
                    return;
                }
                try {
                    System.err.println("Screenshot of the failed test: " + current.screenshot(
                            context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName()));
                } catch (IOException | RuntimeException e) {
                    System.err.println("No screenshot: " + e);
                }
            }
        };
    }
}
