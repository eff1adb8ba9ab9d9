package io.github.rip.importing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExternalIdentifierTest {

    @Test
    void printable_ascii_names_are_sent_as_they_are() {
        assertThat(ExternalIdentifier.of("customer groups (2026-12-02).csv")).isEqualTo("customer groups (2026-12-02).csv");
    }

    @Test
    void other_characters_become_percent_encoded_utf8_that_decodes_back_to_the_name() {
        String name = "Übersicht-日本語 100%.csv";
        String sent = ExternalIdentifier.of(name);
        assertThat(sent).isEqualTo("%C3%9Cbersicht-%E6%97%A5%E6%9C%AC%E8%AA%9E 100%25.csv");
        assertThat(sent.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
        assertThat(URLDecoder.decode(sent.replace("+", "%2B"), StandardCharsets.UTF_8)).isEqualTo(name);
    }

    @Test
    void leading_and_trailing_spaces_and_control_characters_are_encoded() {
        assertThat(ExternalIdentifier.of(" a\tb.csv ")).isEqualTo("%20a%09b.csv%20");
    }

    @Test
    void a_long_encoded_name_is_cut_without_splitting_a_byte_and_keeps_names_apart() {
        String a = "日".repeat(60) + "-a.csv";
        String b = "日".repeat(60) + "-b.csv";
        String sentA = ExternalIdentifier.of(a);
        assertThat(sentA).hasSizeLessThanOrEqualTo(ExternalIdentifier.MAX_LENGTH).matches("(%[0-9A-F]{2})+~[0-9a-f]{8}");
        assertThat(sentA).isNotEqualTo(ExternalIdentifier.of(b));
    }
}
