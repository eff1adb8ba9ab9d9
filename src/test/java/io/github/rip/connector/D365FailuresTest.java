package io.github.rip.connector;

import java.io.File;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How D365's answers are classified, the same for every call (docs/d365-api.md §1, §4, §5). */
class D365FailuresTest {

    private static final D365Call ENQUEUE = D365Call.enqueue("act-1", "entity=Customer%20groups", new File("x.csv"),
            "x.csv", () -> { }, () -> { });

    @Test
    void throttling_and_server_errors_are_transient_and_keep_retry_after() {
        RuntimeException throttled = D365Failures.of(ENQUEUE, 429, "Number of requests exceeded", "7", null);
        assertThat(throttled).isInstanceOf(TransientD365Exception.class);
        assertThat(((TransientD365Exception) throttled).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(D365Failures.of(ENQUEUE, 503, null, null, null)).isInstanceOf(TransientD365Exception.class);
        assertThat(D365Failures.of(ENQUEUE, 408, null, null, null)).isInstanceOf(TransientD365Exception.class);
    }

    @Test
    void client_errors_are_refusals_that_keep_status_and_body() {
        RuntimeException bad = D365Failures.of(ENQUEUE, 413, "RequestEntityTooLarge", null, null);
        assertThat(bad).isInstanceOf(D365RefusedException.class).hasMessageContaining("413");
        assertThat(((D365RefusedException) bad).responseBody()).isEqualTo("RequestEntityTooLarge");
        assertThat(D365Failures.of(ENQUEUE, 401, "{}", null, null)).hasMessageContaining("authorization policy");
        assertThat(D365Failures.of(ENQUEUE, 302, "", null, null)).hasMessageContaining("redirect");
    }

    @Test
    void retry_after_is_read_as_seconds_or_http_date_and_capped() {
        assertThat(D365Failures.parseRetryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(61));
        assertThat(D365Failures.parseRetryAfter(inOneMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
        assertThat(D365Failures.parseRetryAfter("999999")).isEqualTo(Duration.ofMinutes(10));
        assertThat(D365Failures.parseRetryAfter("soon")).isNull();
        assertThat(D365Failures.parseRetryAfter("-5")).isEqualTo(Duration.ZERO);
    }
}
