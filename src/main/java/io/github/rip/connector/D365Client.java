package io.github.rip.connector;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The steps of the one route that calls D365 ({@code d365-call}, d365-calls.camel.yaml), for the {@link D365Call} in
 * the exchange: build the request, renew the token once when D365 answers 401, and turn the answer into a body for the
 * caller or into the failure it stands for ({@link D365Failures}). Import and export only say which call and what to
 * do with a successful answer, and which environment it goes to ({@link D365Environments#use}; the default
 * environment when they say none).
 */
public class D365Client {

    /** An error page can be large; its start is enough for a report. */
    static final int MAX_ERROR_BODY = 16 * 1024;
    /** Longest Retry-After waited for in place (Camel's redelivery); longer waits are the caller's business. */
    private static final long MAX_IN_PLACE_WAIT_MS = 60_000;

    /** Exchange property: the base URL of the environment the request goes to (set by {@link #prepare}). */
    public static final String BASE_URL = "ripD365BaseUrl";
    /** Exchange property: the camel-http endpoint of that environment, for the request route's toD. */
    public static final String ENDPOINT = "ripD365Endpoint";
    /**
     * The D365 endpoint's options: answers are classified by {@link #answer} (no exception on failure), read once (a
     * download is streamed to disk, never cached in memory), and redirects are not followed (one would take the bearer
     * token elsewhere).
     */
    private static final String OPTIONS = "throwExceptionOnFailure=false&disableStreamCache=true&followRedirects=false";

    private final D365Environments environments;

    public D365Client(D365Environments environments) {
        this.environments = environments;
    }

    /**
     * Only the headers D365 needs leave the runner: everything the exchange carries is dropped but Camel's redelivery
     * counters (an export poll would otherwise carry the previous call's path into the next URL).
     */
    public void prepare(Exchange exchange) {
        D365Call call = call(exchange);
        // the token and the URL come from the same environment: a token never reaches another environment's host
        D365Environment environment = environments.of(exchange);
        Message out = exchange.getMessage();
        out.removeHeaders("*", "CamelRedeliver*");
        out.setBody(call.body() == null ? "" : call.body() instanceof File file
                ? new FileUpload(file, call.contentType()) : call.body());
        exchange.setProperty(BASE_URL, environment.baseUrl());
        exchange.setProperty(ENDPOINT, endpoint(environment));
        out.setHeader(Exchange.HTTP_METHOD, call.method());
        if (call.isBlobStorage()) {
            // a SAS URL authorises itself: the bearer token only ever goes to D365's own API, never to storage
            out.setHeader(Exchange.HTTP_URI, BlobUrl.withoutQuery(call.path()));
            String query = BlobUrl.query(call.path());
            if (query != null) {
                out.setHeader(Exchange.HTTP_QUERY, query);
            }
            if ("PUT".equals(call.method())) {
                out.setHeader("x-ms-blob-type", "BlockBlob");
            }
        } else {
            out.setHeader("Authorization", environment.tokens().bearerHeader());
            out.setHeader(Exchange.HTTP_PATH, call.path());
            if (call.query() != null && !call.query().isEmpty()) {
                out.setHeader(Exchange.HTTP_QUERY, call.query());
            }
        }
        if (call.contentType() != null) {
            out.setHeader(Exchange.CONTENT_TYPE, call.contentType());
        }
        if (call.externalId() != null) {
            out.setHeader("x-ms-dyn-externalidentifier", call.externalId());
        }
        call.onSend().run();
    }

    /**
     * An answer came back. A refusal means D365 kept nothing of the request; a success is recorded by the caller (for an
     * enqueue: the message id in the journal), and until it is, a crash must still count the request as arrived.
     */
    public void answered(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status < 200 || status > 299) {
            call(exchange).onRefused().run();
        }
    }

    /** D365 refused the token: drop the unread answer (freeing the connection) and renew that token once. */
    public void renewToken(Exchange exchange) {
        Message in = exchange.getMessage();
        close(in.getBody());
        environments.of(exchange).tokens().renew(in.getHeader("Authorization", String.class));
    }

    /**
     * A 2xx answer becomes the caller's body (text, or the open stream of a streamed call); anything else is thrown as
     * the failure it stands for, Retry-After handed to Camel's in-place redelivery.
     */
    public void answer(Exchange exchange) {
        D365Call call = call(exchange);
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status < 200 || status > 299) {
            // an error body may quote a blob URL the request carried (ImportFromPackage's packageUrl): never its signature
            String body = BlobUrl.masked(text(in, MAX_ERROR_BODY));
            RuntimeException failure = call.isBlobStorage()
                    ? D365Failures.ofBlob(call, status, body, in.getHeader("Retry-After", String.class))
                    : D365Failures.of(call, status, body,
                    in.getHeader("Retry-After", String.class), in.getHeader("Location", String.class));
            if (failure instanceof TransientD365Exception t && t.retryAfter() != null) {
                in.setHeader(Exchange.REDELIVERY_DELAY, Math.min(t.retryAfter().toMillis(), MAX_IN_PLACE_WAIT_MS));
            }
            throw failure;
        }
        if (!call.isBlobStorage()) {
            environments.of(exchange).auth().succeeded(call.activityId());
        }
        in.removeHeader(Exchange.REDELIVERY_DELAY);
        if (!call.streamed()) {
            in.setBody(text(in, Integer.MAX_VALUE));
        }
    }

    /**
     * The environment's base URL with its own TLS trust (camel-http takes it per endpoint; an http:// URL, as behind a
     * test proxy, must not get it: camel-http would then speak TLS).
     */
    static String endpoint(D365Environment environment) {
        String url = environment.baseUrl();
        return url + "?" + OPTIONS + (url.regionMatches(true, 0, "https:", 0, 6)
                ? "&sslContextParameters=#" + environment.tlsBean() : "");
    }

    private static D365Call call(Exchange exchange) {
        return exchange.getProperty(D365Call.PROPERTY, D365Call.class);
    }

    /** The answer's text, read up to a limit; the stream is closed. */
    private static String text(Message in, int limit) {
        if (in.getBody() instanceof InputStream stream) {
            try (stream) {
                return new String(stream.readNBytes(limit), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new TransientD365Exception("Cannot read D365's answer: " + e.getMessage(), e);
            }
        }
        return in.getBody(String.class);
    }

    private static void close(Object body) {
        if (body instanceof InputStream stream) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // the connection is dropped instead of reused; nothing else to do
            }
        }
    }
}
