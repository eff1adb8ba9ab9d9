package io.github.rip.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.rip.auth.AuthenticationFailures;
import io.github.rip.auth.D365TokenProvider;
import io.github.rip.connector.D365Environment;
import io.github.rip.connector.D365Environments;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * {@code validate --online}: gets a token, then asks D365 once about each job's recurring data job, with a call that
 * changes nothing: {@code jobstatus} for an all-zero message id. For export jobs too: dequeue would take a message
 * (D365 then hides it for 30 minutes and the real job would miss it), ack and download need a message, and jobstatus is
 * the one read-only call of the connector API. It needs the same token and app authorization as the job's own calls.
 * <p>
 * What D365 answers for a message id it does not know is not documented (docs/d365-api.md §1.4): the emulator answers 404
 * naming the message id, which is taken, like any 200, as "the job is known and the app may use it". 401/403 mean the
 * app is not allowed on the job; other answers are reported as they are.
 */
public final class ActivityProbe {

    /** No message has it: the call can find nothing to change or hand out. */
    static final String NO_MESSAGE = "00000000-0000-0000-0000-000000000000";
    private static final int EXCERPT = 200;

    private ActivityProbe() {
    }

    /** Every D365 environment with the jobs that talk to it: one line per problem. */
    public static List<String> probe(CamelContext context, List<TemplatedRouteCheck.Job> jobs) {
        D365Environments environments = D365Environments.of(context);
        if (environments == null) {
            return List.of("validate --online: the runner has no D365 connection (the D365 environments are missing)");
        }
        List<String> problems = new ArrayList<>();
        for (D365Environment environment : environments.all()) {
            List<TemplatedRouteCheck.Job> own = jobs.stream()
                    .filter(job -> environment.name().equals(job.environment())).toList();
            if (environment.isDefault() || !own.isEmpty()) {
                problems.addAll(probe(context, environment, own));
            }
        }
        return problems;
    }

    /** One line per job D365 did not accept, or one line if no token could be had from the environment. */
    public static List<String> probe(CamelContext context, D365Environment environment,
                                     List<TemplatedRouteCheck.Job> jobs) {
        D365TokenProvider tokens = environment.tokens();
        String baseUrl = environment.baseUrl();
        String bearer;
        try {
            bearer = tokens.bearerHeader();
        } catch (RuntimeException e) {
            return List.of("getting a token for " + baseUrl + " (" + environment.label() + ") failed: "
                    + oneLine(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        try (ProducerTemplate http = context.createProducerTemplate()) {
            for (TemplatedRouteCheck.Job job : jobs) {
                if (job.activityId() != null && !job.activityId().isBlank()) {
                    String problem = probe(http, environment, bearer, job);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
        } catch (java.io.IOException e) {
            problems.add("validate --online: " + e.getMessage());
        }
        return problems;
    }

    private static String probe(ProducerTemplate http, D365Environment environment, String bearer,
                                TemplatedRouteCheck.Job job) {
        String baseUrl = environment.baseUrl();
        String activity = job.activityId().trim();
        String call = "jobstatus for activity " + activity;
        // the same URL shape as the import status monitor's calls; the endpoint options keep every answer readable
        String uri = baseUrl.replaceAll("/+$", "") + "/api/connector/jobstatus/"
                + URLEncoder.encode(activity, StandardCharsets.UTF_8).replace("+", "%20") + "?jobId=" + NO_MESSAGE
                + "&throwExceptionOnFailure=false&followRedirects=false"
                // the environment's own trust (an http:// URL must not get it: camel-http would then speak TLS)
                + (baseUrl.regionMatches(true, 0, "https:", 0, 6) ? "&sslContextParameters=#" + environment.tlsBean()
                : "");
        Exchange answer = http.request(uri, exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
            exchange.getMessage().setHeader("Authorization", bearer);
        });
        if (answer.getException() != null) {
            return job.where() + ": " + call + " did not reach D365: " + oneLine(answer.getException().getMessage());
        }
        Integer status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = answer.getMessage().getBody(String.class);
        if (status == null) {
            return job.where() + ": " + call + " got no HTTP answer";
        }
        if (status / 100 == 2 || status == 404 && body != null && body.contains(NO_MESSAGE)) {
            return null;
        }
        if (status == 401 || status == 403) {
            return job.where() + ": " + oneLine(AuthenticationFailures.fromD365(call, status, body, activity)
                    .getMessage());
        }
        return job.where() + ": " + call + " answered HTTP " + status + (body == null || body.isBlank() ? ""
                : ": " + excerpt(body)) + " (check activityId: the recurring data job's id in Manage scheduled data "
                + "jobs)";
    }

    private static String excerpt(String body) {
        String line = oneLine(body.strip());
        return line.length() > EXCERPT ? line.substring(0, EXCERPT) + " [...]" : line;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ");
    }
}
