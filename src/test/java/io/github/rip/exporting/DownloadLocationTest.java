package io.github.rip.exporting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which DownloadLocations may be fetched with the bearer token (only the D365 host), and how they are rewritten. */
class DownloadLocationTest {

    private static final String BASE = "https://contoso.operations.dynamics.com";
    private static final String PATH = "/api/connector/download/%7B6d31e09f-0000-4000-8000-000000000101%7D";
    private static final String QUERY = "correlation-id=8f2c-1&blob=77aa-2";

    @Test
    void a_location_on_the_d365_host_keeps_its_encoded_path_and_query() {
        DownloadLocation location = DownloadLocation.resolve(BASE + PATH + "?" + QUERY, BASE);

        assertThat(location.path()).isEqualTo(PATH.substring(1));
        assertThat(location.query()).isEqualTo(QUERY);
        assertThat(location.rewritten()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://contoso.operations.dynamics.com:80", "http://CONTOSO.operations.dynamics.com",
            "https://contoso.operations.dynamics.com:443"})
    void the_load_balancers_http_port_80_and_explicit_default_ports_are_the_d365_host(String origin) {
        DownloadLocation location = DownloadLocation.resolve(origin + PATH + "?" + QUERY, BASE);

        assertThat(location.path()).isEqualTo(PATH.substring(1));
        assertThat(location.query()).isEqualTo(QUERY);
        assertThat(location.rewritten()).isEqualTo(origin.startsWith("http:"));
    }

    @Test
    void the_emulators_http_port_80_location_maps_to_its_https_port() {
        DownloadLocation location = DownloadLocation.resolve("http://localhost:80" + PATH + "?" + QUERY,
                "https://localhost:41234");

        assertThat(location.rewritten()).isTrue();
        assertThat(location.path()).startsWith("api/connector/download/");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://evil.example.com",                          // another host
            "https://contoso.operations.dynamics.com.evil.example", // suffix trick
            "https://contoso.operations.dynamics.com@evil.example",  // user-info trick: the host is evil.example
            "https://evil.example@contoso.operations.dynamics.com",  // user info at all
            "https://contoso.operations.dynamics.com:8443",      // another port on the same host
            "http://contoso.operations.dynamics.com:8080",       // plain http, not the load balancer's port 80
            "ftp://contoso.operations.dynamics.com"})
    void anything_else_is_refused_with_a_reason(String origin) {
        assertThatThrownBy(() -> DownloadLocation.resolve(origin + PATH + "?" + QUERY, BASE))
                .isInstanceOf(ExportRejectedException.class)
                .hasMessageContaining("was refused")
                .hasMessageContaining("bearer token was not sent");
    }

    @Test
    void a_base_url_with_a_path_only_accepts_locations_below_it() {
        String base = "https://gateway.example.com/d365";
        assertThat(DownloadLocation.resolve("https://gateway.example.com/d365" + PATH, base).path())
                .isEqualTo(PATH.substring(1));
        assertThatThrownBy(() -> DownloadLocation.resolve("https://gateway.example.com/other" + PATH, base))
                .isInstanceOf(ExportRejectedException.class).hasMessageContaining("outside");
    }

    @Test
    void garbage_is_refused_too() {
        assertThatThrownBy(() -> DownloadLocation.resolve("not a url at all", BASE))
                .isInstanceOf(ExportRejectedException.class);
        assertThatThrownBy(() -> DownloadLocation.resolve("/api/connector/download/x", BASE))
                .isInstanceOf(ExportRejectedException.class).hasMessageContaining("not an http(s) URL");
    }
}
