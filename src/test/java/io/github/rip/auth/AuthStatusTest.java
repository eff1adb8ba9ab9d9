package io.github.rip.auth;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a health check would read: one problem per scope while it lasts, gone once D365 answers again. */
class AuthStatusTest {

    private final AuthStatus status = new AuthStatus("app-1", Duration.ofMinutes(10));

    @Test
    void repeated_refusals_are_one_problem_until_a_call_succeeds() {
        status.failed(wrongSecret());
        status.failed(wrongSecret());
        status.failed(wrongSecret());

        assertThat(status.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("AADSTS7000215");
            assertThat(p.failures()).isEqualTo(3);
            assertThat(p.fix()).contains("d365.client-secret");
        });

        status.succeeded("any-job");
        assertThat(status.current()).isEmpty();
    }

    @Test
    void another_refusal_code_replaces_the_problem() {
        status.failed(wrongSecret());
        status.failed(AuthenticationFailures.fromTokenEndpoint("unauthorized_client", 400,
                "AADSTS700016: Application not found.", false));

        assertThat(status.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo("AADSTS700016");
            assertThat(p.failures()).isEqualTo(1);
        });
    }

    @Test
    void a_job_d365_refuses_stays_a_problem_while_other_jobs_work() {
        status.failed(AuthenticationFailures.fromD365("Enqueue", 401, "", "job-a"));

        status.succeeded("job-b");
        assertThat(status.current()).hasValueSatisfying(p -> assertThat(p.scope()).isEqualTo("job-a"));

        status.succeeded("job-a");
        assertThat(status.current()).isEmpty();
    }

    @Test
    void a_refusal_from_before_authentication_worked_again_is_stale() {
        status.failed(wrongSecret());
        AuthenticationFailedException inFlight = wrongSecret();
        await().until(() -> Instant.now().isAfter(inFlight.at()));

        status.succeeded("job-a");
        status.failed(inFlight);

        assertThat(status.current()).isEmpty();
    }

    private static AuthenticationFailedException wrongSecret() {
        return AuthenticationFailures.fromTokenEndpoint("invalid_client", 401,
                "AADSTS7000215: Invalid client secret provided.", false);
    }
}
