package io.github.rip.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UriOptionsTest {

    @Test
    void options_are_read_by_camel_with_raw_values_kept_and_names_in_any_case() {
        var options = UriOptions.of("sftp://u@host/out?password=RAW(p&s=w%rd)&StrictHostKeyChecking=no&tempPrefix=.x-");
        assertThat(options).containsEntry("password", "RAW(p&s=w%rd)").containsEntry("stricthostkeychecking", "no")
                .containsEntry("tempprefix", ".x-");
        assertThat(UriOptions.of("file:/data/outbox")).isEmpty();
    }

    @Test
    void a_default_is_added_only_when_the_user_did_not_set_the_option() {
        assertThat(UriOptions.withDefault("file:/out", "tempPrefix", ".part-")).isEqualTo("file:/out?tempPrefix=.part-");
        assertThat(UriOptions.withDefault("file:/out?fileExist=Fail", "tempPrefix", ".part-"))
                .isEqualTo("file:/out?fileExist=Fail&tempPrefix=.part-");
        assertThat(UriOptions.withDefault("file:/out?TEMPPREFIX=.t-", "tempPrefix", ".part-"))
                .isEqualTo("file:/out?TEMPPREFIX=.t-");
        assertThat(UriOptions.withDefault("sftp://h/o?password=RAW(a&tempPrefix=b)", "tempPrefix", ".part-"))
                .endsWith("&tempPrefix=.part-");
    }
}
