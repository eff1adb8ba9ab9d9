package io.github.rip.exporting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.rip.auth.AuthStatus;
import io.github.rip.auth.AuthenticationFailures;
import io.github.rip.importing.D365Responses;
import io.github.rip.importing.TransientD365Exception;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads the export side's answers (dequeue, download, ack) and classifies failures: 408/429/5xx are transient
 * ({@link TransientD365Exception}, Retry-After honoured by the in-place redelivery), other non-success answers end the
 * poll ({@link D365RefusedException}); a 401/403 after the token was renewed is an authentication problem, reported by
 * {@link AuthStatus}. The download is streamed to disk, never held in memory.
 */
public final class ExportResponses {

    /** Property holding the {@link InFlightMessage}. */
    public static final String MESSAGE = "ripExport";

    private static final long MAX_IN_PLACE_WAIT_MS = 60_000;
    private static final int MAX_ERROR_BODY = 16 * 1024;
    private static final Pattern FILENAME = Pattern.compile(
            "filename\\*\\s*=\\s*(?:UTF-8|utf-8)''([^;]+)|filename\\s*=\\s*\"([^\"]*)\"|filename\\s*=\\s*([^;\\s]+)");

    private final AuthStatus auth;

    public ExportResponses(AuthStatus auth) {
        this.auth = auth;
    }

    /** The dequeue answer as text, or null when there is nothing to export (204, or 200 with an empty body). */
    public String dequeued(Exchange exchange) {
        Message in = exchange.getMessage();
        int status = status(in);
        if (status == 204) {
            authenticated(exchange);
            return null;
        }
        String body = bodyText(in);
        if (status != 200) {
            throw failure(exchange, "Dequeue", status, body);
        }
        authenticated(exchange);
        in.removeHeader(Exchange.REDELIVERY_DELAY);
        return body == null || body.isBlank() ? null : body;
    }

    /** Closes a streamed answer nobody will read (before a call is repeated after a 401), freeing the connection. */
    public void discard(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof InputStream stream) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // the connection is dropped instead of reused; nothing else to do
            }
        }
    }

    /** Streams a 200 download into the message's package file, hashing it on the way; else the failure. */
    public void download(Exchange exchange) {
        Message in = exchange.getMessage();
        int status = status(in);
        if (status != 200) {
            throw failure(exchange, "Download", status, bodyText(in));
        }
        authenticated(exchange);
        InFlightMessage message = exchange.getProperty(MESSAGE, InFlightMessage.class);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size;
        try (InputStream body = in.getBody(InputStream.class);
             OutputStream out = new DigestOutputStream(Files.newOutputStream(message.getPackagePath(),
                     StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING), sha)) {
            size = body == null ? 0 : body.transferTo(out);
        } catch (IOException e) {
            // a connection cut mid-download: transient, the message comes back
            throw new TransientD365Exception("The download broke off: " + e.getMessage(), e);
        }
        if (size == 0) {
            // nothing to keep: never acknowledge a message for an empty answer, D365 offers it again
            throw new D365RefusedException("Download answered 200 without any content", status);
        }
        message.downloaded(HexFormat.of().formatHex(sha.digest()), size,
                fileName(in.getHeader("Content-Disposition", String.class)));
        in.removeHeader(Exchange.REDELIVERY_DELAY);
        in.setBody(message.getPackagePath());
    }

    /** The ack was accepted (any 2xx; D365 answers 200), else the failure. */
    public void acked(Exchange exchange) {
        Message in = exchange.getMessage();
        int status = status(in);
        String body = bodyText(in);
        if (status < 200 || status > 299) {
            throw failure(exchange, "Ack", status, body);
        }
        authenticated(exchange);
        in.removeHeader(Exchange.REDELIVERY_DELAY);
    }

    private void authenticated(Exchange exchange) {
        auth.succeeded(activityId(exchange));
    }

    private static String activityId(Exchange exchange) {
        ExportJob job = exchange.getProperty(ExportJob.JOB, ExportJob.class);
        return job == null ? null : job.getActivityId();
    }

    private static RuntimeException failure(Exchange exchange, String call, int status, String body) {
        Message in = exchange.getMessage();
        String text = call + " answered HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
        if (status == 408 || status == 429 || status >= 500) {
            TransientD365Exception transientFailure = new TransientD365Exception(text, status,
                    D365Responses.parseRetryAfter(in.getHeader("Retry-After", String.class)));
            if (transientFailure.retryAfter() != null) {
                // honoured by the in-place redelivery (Camel reads this header), capped so a poll cannot hang
                in.setHeader(Exchange.REDELIVERY_DELAY, Math.min(transientFailure.retryAfter().toMillis(),
                        MAX_IN_PLACE_WAIT_MS));
            }
            return transientFailure;
        }
        if (status == 401 || status == 403) {
            return AuthenticationFailures.fromD365(call, status, body, activityId(exchange));
        }
        if (status >= 300 && status < 400) {
            return new D365RefusedException(text + "\nThe redirect (to " + in.getHeader("Location", String.class)
                    + ") was not followed: the bearer token is only sent to the D365 host.", status);
        }
        return new D365RefusedException(text, status);
    }

    private static int status(Message in) {
        return in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
    }

    /** The answer's text, read up to a limit (an error page can be large); the stream is closed. */
    private static String bodyText(Message in) {
        Object body = in.getBody();
        if (body instanceof InputStream stream) {
            try (stream) {
                return new String(stream.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read D365's answer: " + e.getMessage(), e);
            }
        }
        return in.getBody(String.class);
    }

    /** The file name in a Content-Disposition header, without any folder part; null when none. */
    static String fileName(String contentDisposition) {
        if (contentDisposition == null) {
            return null;
        }
        Matcher m = FILENAME.matcher(contentDisposition);
        if (!m.find()) {
            return null;
        }
        String name = m.group(1) != null ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8)
                : m.group(2) != null ? m.group(2) : m.group(3);
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
        return name.isEmpty() ? null : name;
    }

    private static String abbreviate(String body) {
        String oneLine = body.strip();
        return oneLine.length() > 2000 ? oneLine.substring(0, 2000) + " [...]" : oneLine;
    }
}
