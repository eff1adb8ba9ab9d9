package io.github.rip.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each refusal names the setting an operator has to fix, and only the first line of Entra ID's answer is kept. */
class AuthenticationFailuresTest {

    private static final String ENTRA_TAIL = "\r\nTrace ID: 0f2d\r\nCorrelation ID: 9a1b\r\nTimestamp: 2025-01-01 10:00:00Z";

    @Test
    void a_wrong_secret_names_the_secret_setting_and_where_it_comes_from() {
        AuthenticationFailedException refused = AuthenticationFailures.fromTokenEndpoint("invalid_client", 401,
                "AADSTS7000215: Invalid client secret provided." + ENTRA_TAIL, false);

        assertThat(refused.scope()).isEqualTo(AuthenticationFailedException.ENTRA_ID);
        assertThat(refused.code()).isEqualTo("AADSTS7000215");
        assertThat(refused.problem()).contains("Invalid client secret provided").doesNotContain("Trace ID");
        assertThat(refused.fix()).contains("d365.client-secret", "D365_CLIENT_SECRET", "D365_CLIENT_SECRET_FILE");
    }

    @Test
    void an_unknown_app_names_the_client_id_and_an_unknown_tenant_the_tenant() {
        assertThat(AuthenticationFailures.fromTokenEndpoint("unauthorized_client", 400,
                "AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.", false).fix())
                .contains("d365.client-id");
        assertThat(AuthenticationFailures.fromTokenEndpoint("invalid_request", 400,
                "AADSTS90002: Tenant 'contoso.example' not found.", false).fix())
                .contains("d365.tenant", "d365.authority");
        assertThat(AuthenticationFailures.fromTokenEndpoint("invalid_resource", 400,
                "AADSTS500011: The resource principal named https://x.example was not found.", false).fix())
                .contains("d365.base-url");
    }

    @Test
    void a_refused_certificate_names_the_certificate_setting() {
        assertThat(AuthenticationFailures.fromTokenEndpoint("invalid_client", 401,
                "AADSTS700027: Client assertion contains an invalid signature.", true).fix())
                .contains("d365.certificate.path").doesNotContain("d365.client-secret");
    }

    @Test
    void an_answer_without_a_known_code_lists_every_credential_setting() {
        AuthenticationFailedException refused = AuthenticationFailures.fromTokenEndpoint("invalid_client", 400, "", false);
        assertThat(refused.code()).isEqualTo("invalid_client");
        assertThat(refused.fix()).contains("d365.client-id", "d365.client-secret", "d365.tenant");
    }

    @Test
    void d365_refusing_a_fresh_token_points_at_the_entra_applications_page_and_the_job_policy() {
        AuthenticationFailedException refused = AuthenticationFailures.fromD365("Enqueue", 401,
                "{\"Message\":\"Application a is not authorized on recurring job b.\"}", "job-activity");

        assertThat(refused.scope()).isEqualTo("job-activity");
        assertThat(refused.httpStatus()).isEqualTo(401);
        assertThat(refused.problem()).contains("HTTP 401", "not authorized");
        assertThat(refused.fix()).contains("Microsoft Entra ID applications", "Set up authorization policy",
                "job-activity", "d365.client-id");
    }
}
