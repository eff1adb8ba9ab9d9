package io.github.rip.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** validate's own arguments: --help answers 0 with the usage, anything unknown 2 (before any configuration is read). */
class ValidateCommandArgumentsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ValidateCommand validate = new ValidateCommand(null, "file:does-not-matter.properties",
            new PrintStream(printed, true, StandardCharsets.UTF_8));

    @Test
    void helpPrintsTheUsageAndTheExitCodes() {
        assertThat(validate.run("--help")).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("usage: validate [--online]")
                .contains("exit codes: 0 configuration OK, 1 problems (one line each), 2 wrong arguments");
    }

    @Test
    void anUnknownArgumentIsNamedAndAnsweredWithTwo() {
        assertThat(validate.run("--onlin")).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("unknown argument '--onlin'")
                .contains("usage: validate");
    }
}
