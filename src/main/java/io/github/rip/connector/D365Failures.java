package io.github.rip.connector;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import io.github.rip.auth.AuthenticationFailures;

/**
 * What a non-success answer of D365 means, for every call alike: 408/429/5xx may pass ({@link TransientD365Exception},
 * with Retry-After); 401/403 after a renewed token is an authentication problem (the runner's identity, not the file
 * or the message); any other status is D365 refusing the request ({@link D365RefusedException}).
 */
public final class D365Failures {

    /** Longest Retry-After taken from D365, so a hostile value cannot park a job for days. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    private D365Failures() {
    }

    /**
     * The failure an answer stands for.
     *
     * @param location the Location header of a redirect, or null
     */
    public static RuntimeException of(D365Call call, int status, String body, String retryAfter, String location) {
        String text = call.name() + " answered HTTP " + status + (body == null || body.isBlank() ? "" : ": "
                + abbreviate(body));
        if (status == 408 || status == 429 || status >= 500) {
            return new TransientD365Exception(text, status, parseRetryAfter(retryAfter));
        }
        if (status == 401 || status == 403) {
            return AuthenticationFailures.fromD365(call.name(), status, body, call.activityId());
        }
        if (status >= 300 && status < 400) {
            return new D365RefusedException(text + "\nThe redirect (to " + location + ") was not followed: the bearer "
                    + "token is only sent to the D365 host. A redirect usually means the URL is not a cloud D365 "
                    + "environment or the request was sent to a login page.", status, body);
        }
        return new D365RefusedException(text, status, body);
    }

    /**
     * The failure a blob storage answer stands for. 403 is the SAS refused (expired, or its signature not valid): not
     * the runner's identity (no token was sent) but the URL's, so it is transient; the caller asks D365 for a new URL
     * on its next attempt. 404 (no such blob) and other 4xx are refusals; 408/429/5xx are transient.
     */
    public static RuntimeException ofBlob(D365Call call, int status, String body, String retryAfter) {
        String url = BlobUrl.masked(call.path());
        String code = azureCode(body);
        String text = call.name() + " to " + url + " answered HTTP " + status + (code == null ? "" : " " + code);
        if (status == 403) {
            return new TransientD365Exception(text + ": the storage refused the blob URL's signature (it expired, "
                    + "or is not valid). The URL is not used again; the next attempt asks D365 for a new one."
                    + (body == null || body.isBlank() ? "" : "\nStorage answered: " + abbreviate(body.replace("\uFEFF",
                    ""))), status, null);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new TransientD365Exception(text, status, parseRetryAfter(retryAfter));
        }
        return new D365RefusedException(text + (body == null || body.isBlank() ? "" : ": " + abbreviate(body)),
                status, body);
    }

    /** Azure Storage's error code ({@code <Code>AuthenticationFailed</Code>}), or null. */
    private static String azureCode(String body) {
        if (body == null) {
            return null;
        }
        int start = body.indexOf("<Code>");
        int end = body.indexOf("</Code>");
        return start >= 0 && end > start ? body.substring(start + 6, end).trim() : null;
    }

    /** Retry-After as integer seconds or an HTTP date; capped at 10 minutes. */
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
