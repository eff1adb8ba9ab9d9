package io.github.rip.importing;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rip.auth.AuthStatus;
import io.github.rip.auth.AuthenticationFailures;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads the connector API's answers: message ids in every observed shape, and error classification. A 401/403 (after
 * the token was renewed) is an authentication problem, not the file's: it waits in the inbox, {@link AuthStatus}
 * says what to fix.
 */
public final class D365Responses {

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    private static final long MAX_IN_PLACE_WAIT_MS = 60_000;

    private final AuthStatus auth;

    public D365Responses(AuthStatus auth) {
        this.auth = auth;
    }

    /** The message id of a successful enqueue, or the exception that its status calls for. */
    public String messageId(Exchange exchange) {
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = in.getBody(String.class);
        ImportJob job = exchange.getProperty(ImportJob.JOB, ImportJob.class);
        String activityId = job == null ? null : job.getActivityId();
        if (status == 200) {
            auth.succeeded(activityId);
        } else {
            RuntimeException failure = failure("Enqueue", status, body, in.getHeader("Retry-After", String.class),
                    activityId);
            if (failure instanceof TransientD365Exception t && t.retryAfter() != null) {
                // honoured by the in-place redelivery (Camel reads this header); longer waits go to the journal
                in.setHeader(Exchange.REDELIVERY_DELAY, Math.min(t.retryAfter().toMillis(), MAX_IN_PLACE_WAIT_MS));
            }
            throw failure;
        }
        String id = parseMessageId(body);
        if (id == null) {
            throw new ImportRejectedException("D365 accepted the file but its answer holds no message id", status, body);
        }
        return id;
    }

    /**
     * Normalises a message id: the API answers a quoted JSON string; clients have also seen braces, upper case and,
     * in one third-party note, {"value":"..."}. Returns the lower-case GUID, or the trimmed text if it is no GUID.
     */
    public static String parseMessageId(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        Matcher m = GUID.matcher(body);
        if (m.find()) {
            return m.group().toLowerCase(Locale.ROOT);
        }
        String trimmed = body.trim().replace("\"", "").replace("{", "").replace("}", "").trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Maps a non-success status to a transient or permanent failure, with the body kept for the report. */
    public static RuntimeException failure(String call, int status, String body, String retryAfter) {
        return failure(call, status, body, retryAfter, null);
    }

    /** As {@link #failure(String, int, String, String)}, a 401/403 naming the recurring data job D365 refused. */
    public static RuntimeException failure(String call, int status, String body, String retryAfter, String activityId) {
        String text = call + " answered HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
        if (status == 408 || status == 429 || status >= 500) {
            return new TransientD365Exception(text, status, parseRetryAfter(retryAfter));
        }
        if (status == 401 || status == 403) {
            return AuthenticationFailures.fromD365(call, status, body, activityId);
        }
        if (status >= 300 && status < 400) {
            return new ImportRejectedException(text + "\nA redirect usually means the URL is not a cloud D365 environment "
                    + "or authentication was sent to a login page.", status, body);
        }
        return new ImportRejectedException(text, status, body);
    }

    /** Retry-After as integer seconds or an HTTP date; capped so a hostile value cannot park a job for days. */
    public static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                d = Duration.between(ZonedDateTime.now(at.getZone()), at);
            } catch (RuntimeException unparsable) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    static String abbreviate(String body) {
        String oneLine = body.strip();
        return oneLine.length() > 2000 ? oneLine.substring(0, 2000) + " [...]" : oneLine;
    }
}
