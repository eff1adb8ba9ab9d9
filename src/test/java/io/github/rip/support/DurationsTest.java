package io.github.rip.support;

import java.time.Duration;

import org.apache.camel.util.TimeUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "1d, 86400000", "1h30m, 5400000",
            "1m30s500ms, 90500", "1000, 1000", "0, 0", "' 2s ', 2000", "2d3h, 183600000"})
    void acceptsTheDocumentedSyntax(String text, long millis) {
        assertThat(Durations.parse(text, "rip.x")).isEqualTo(Duration.ofMillis(millis));
    }

    /** Values reach Camel endpoints as written (readLockMinAge, pollDelay): Camel must read them the same way. */
    @ParameterizedTest
    @ValueSource(strings = {"500ms", "30s", "5m", "2h", "1d", "1h30m", "1m30s500ms", "1000", "2d3h"})
    void whatItAcceptsCamelReadsTheSameWay(String text) {
        assertThat(Durations.parse(text, "rip.x").toMillis()).isEqualTo(TimeUtils.toMilliSeconds(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "24H | '24H' is not a duration (units are lower case: 24h); write a whole number",
            "5M | (units are lower case: 5m)",
            "PT2S | (ISO-8601 is not accepted; PT2S is 2s)",
            "abc | 'abc' is not a duration; write a whole number with a lower-case unit",
            "1h 30m | (no spaces)",
            "30m1h | '30m1h' is not a duration",
            "-5s | '-5s' is not a duration",
            "1.5s | '1.5s' is not a duration",
            "99999999999999999999 | is not a duration"})
    void refusesAnythingElseNamingTheSettingAndTheSyntax(String text, String expected) {
        assertThatThrownBy(() -> Durations.parse(text, "rip.status.overdue-after"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("rip.status.overdue-after: '" + text + "'")
                .hasMessageContaining(expected)
                .hasMessageContaining("500ms, 30s, 5m, 2h, 1d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void refusesAnEmptyValue(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "timeout")).hasMessageContaining("(it is empty)");
    }

    /** Durations in log lines and reports can be copied into a setting. */
    @ParameterizedTest
    @ValueSource(longs = {0, 1, 500, 1000, 59_000, 60_000, 90_000, 3_600_000, 5_400_000, 86_400_000, 93_784_000})
    void durationTextWritesWhatTheParserReads(long millis) {
        Duration duration = Duration.ofMillis(millis);
        assertThat(Durations.parse(DurationText.of(duration), "x")).isEqualTo(duration);
    }
}
