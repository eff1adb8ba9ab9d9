package io.github.rip.importing;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shape of enqueue answer seen in the wild, and how errors are classified (docs/d365-api.md §1.1, §5, §6). */
class D365ResponsesTest {

    @ParameterizedTest
    @ValueSource(strings = {"\"3f0c2a51-7d4e-4b8a-9c1d-2e3f4a5b6c7d\"", "\"{3F0C2A51-7D4E-4B8A-9C1D-2E3F4A5B6C7D}\"",
            "3F0C2A51-7D4E-4B8A-9C1D-2E3F4A5B6C7D", "{\"value\":\"3f0c2a51-7d4e-4b8a-9c1d-2e3f4a5b6c7d\"}",
            " \"3f0c2a51-7d4e-4b8a-9c1d-2e3f4a5b6c7d\"\r\n"})
    void message_ids_are_normalised_whatever_their_spelling(String body) {
        assertThat(D365Responses.parseMessageId(body)).isEqualTo("3f0c2a51-7d4e-4b8a-9c1d-2e3f4a5b6c7d");
    }

    @Test
    void an_empty_answer_has_no_message_id() {
        assertThat(D365Responses.parseMessageId("")).isNull();
        assertThat(D365Responses.parseMessageId("\"\"")).isNull();
    }

    @Test
    void throttling_and_server_errors_are_transient_and_keep_retry_after() {
        RuntimeException throttled = D365Responses.failure("Enqueue", 429, "Number of requests exceeded", "7");
        assertThat(throttled).isInstanceOf(TransientD365Exception.class);
        assertThat(((TransientD365Exception) throttled).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(D365Responses.failure("Enqueue", 503, null, null)).isInstanceOf(TransientD365Exception.class);
        assertThat(D365Responses.failure("Enqueue", 408, null, null)).isInstanceOf(TransientD365Exception.class);
    }

    @Test
    void client_errors_are_permanent_and_keep_status_and_body() {
        RuntimeException bad = D365Responses.failure("Enqueue", 413, "RequestEntityTooLarge", null);
        assertThat(bad).isInstanceOf(ImportRejectedException.class).hasMessageContaining("413");
        assertThat(((ImportRejectedException) bad).responseBody()).isEqualTo("RequestEntityTooLarge");
        assertThat(D365Responses.failure("Enqueue", 401, "{}", null)).hasMessageContaining("authorization policy");
        assertThat(D365Responses.failure("Enqueue", 302, "", null)).hasMessageContaining("redirect");
    }

    @Test
    void retry_after_is_read_as_seconds_or_http_date_and_capped() {
        assertThat(D365Responses.parseRetryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        String inOneMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(61));
        assertThat(D365Responses.parseRetryAfter(inOneMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
        assertThat(D365Responses.parseRetryAfter("999999")).isEqualTo(Duration.ofMinutes(10));
        assertThat(D365Responses.parseRetryAfter("soon")).isNull();
        assertThat(D365Responses.parseRetryAfter("-5")).isEqualTo(Duration.ZERO);
    }
}
