package io.github.rip.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.rip.auth.AuthenticationFailures;
import io.github.rip.auth.D365TokenProvider;
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

    /** One line per job D365 did not accept, or one line if no token could be had. */
    public static List<String> probe(CamelContext context, List<TemplatedRouteCheck.Job> jobs) {
        D365TokenProvider tokens = context.getRegistry().lookupByNameAndType("d365Tokens", D365TokenProvider.class);
        String baseUrl = new Settings(context).get("d365.base-url", null);
        if (tokens == null || baseUrl == null) {
            return List.of("validate --online: the runner has no D365 connection (d365.base-url or the token provider "
                    + "is missing)");
        }
        String bearer;
        try {
            bearer = tokens.bearerHeader();
        } catch (RuntimeException e) {
            return List.of("getting a token for " + baseUrl + " failed: " + oneLine(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        try (ProducerTemplate http = context.createProducerTemplate()) {
            for (TemplatedRouteCheck.Job job : jobs) {
                if (job.activityId() != null && !job.activityId().isBlank()) {
                    String problem = probe(http, baseUrl, bearer, job);
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

    private static String probe(ProducerTemplate http, String baseUrl, String bearer, TemplatedRouteCheck.Job job) {
        String activity = job.activityId().trim();
        String call = "jobstatus for activity " + activity;
        // the same URL shape as the import status monitor's calls; the endpoint options keep every answer readable
        String uri = baseUrl.replaceAll("/+$", "") + "/api/connector/jobstatus/"
                + URLEncoder.encode(activity, StandardCharsets.UTF_8).replace("+", "%20") + "?jobId=" + NO_MESSAGE
                + "&throwExceptionOnFailure=false&followRedirects=false";
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
