package io.github.rip.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped systemd unit, checked with systemd's own tools as an operator would before installing it. */
class ServiceUnitTest {

    private static final Path UNIT = Path.of("docker/recurring-integrations-pack.service").toAbsolutePath();
    /** The bound: "OK" in systemd-analyze's scale (0 = locked down, 10 = unprotected). */
    private static final double MAX_EXPOSURE = 2.5;
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");

    @Test
    void systemdFindsNothingWrongInIt() throws Exception {
        Path analyze = Tools.require("systemd-analyze", "the unit's syntax check needs systemd");
        Tools.Result result = Tools.run(analyze.toString(), "verify", UNIT.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as("what systemd-analyze verify says about the unit")
                .doesNotContain(UNIT.getFileName().toString());
    }

    @Test
    void itsExposureIsAtMostTwoAndAHalf() throws Exception {
        Path analyze = Tools.require("systemd-analyze", "the exposure score needs systemd");
        Tools.Result result = Tools.run(analyze.toString(), "security", "--offline=yes", UNIT.toString());
        Matcher score = EXPOSURE.matcher(result.output());
        assertThat(score.find()).as("an overall exposure in:\n%s", result.output()).isTrue();
        System.out.println("systemd-analyze security --offline=yes: exposure " + score.group(1));
        assertThat(Double.parseDouble(score.group(1))).as(result.output()).isLessThanOrEqualTo(MAX_EXPOSURE);
    }

    @Test
    void aStopIsGracefulAndNotAFailureAndAFailureRestarts() throws Exception {
        List<String> lines = Files.readAllLines(UNIT);
        // SIGTERM ends the JVM with 128 + 15 after Camel's graceful shutdown: without this a plain stop shows as failed
        assertThat(value(lines, "SuccessExitStatus")).contains("143");
        assertThat(value(lines, "Restart")).isEqualTo("on-failure");
        assertThat(Integer.parseInt(value(lines, "TimeoutStopSec")))
                .as("TimeoutStopSec against camel.main.shutdown-timeout").isGreaterThan(Tools.shutdownTimeoutSeconds());
        assertThat(value(lines, "StateDirectory")).isEqualTo("recurring-integrations-pack");
        assertThat(value(lines, "LogsDirectory")).isEqualTo("recurring-integrations-pack");
        assertThat(lines).contains("Environment=RIP_DATA_DIR=/var/lib/recurring-integrations-pack",
                "LoadCredential=rip:/etc/recurring-integrations-pack/credentials");
        // HotSpot's JIT needs writable executable memory: measured, the JVM does not start under this setting
        assertThat(lines).noneMatch(line -> line.startsWith("MemoryDenyWriteExecute=yes"));
    }

    /** The value of the last Key= line (a later line overrides an earlier one), or null. */
    private static String value(List<String> lines, String key) {
        String value = null;
        for (String line : lines) {
            if (line.startsWith(key + "=")) {
                value = line.substring(key.length() + 1).trim();
            }
        }
        return value;
    }
}
