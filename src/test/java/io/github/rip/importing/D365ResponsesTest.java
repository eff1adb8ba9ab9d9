package io.github.rip.importing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shape of enqueue answer seen in the wild (docs/d365-api.md §1.1). */
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
}
