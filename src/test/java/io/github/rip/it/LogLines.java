package io.github.rip.it;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Test helper run as a JVM of its own by {@link LogFormatIT}: logs, through the pack's log4j2.properties, the kinds of
 * line a secret can hide in (a URI with a password, key=value, a bearer token, a JWT, an exception message), one of
 * them while Camel's MDC holds a route and a file, and a message with quotes, a line break and non-ASCII text.
 */
public final class LogLines {

    /** Secrets that must never reach a log line. */
    static final String[] SECRETS = {"hunter2", "p4ss-in-uri", "abc123client", "tok.en-value",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyaXAifQ.c2lnbmF0dXJl", "exception-secret"};

    private LogLines() {
    }

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("io.github.rip.importing.ImportJob");
        MDC.put("camel.routeId", "import-customer-groups");
        MDC.put("CamelFileName", "Übersicht \"Q1\".csv");
        log.info("customer-groups: Übersicht \"Q1\".csv enqueued as message 6d31e09f\nsecond line");
        MDC.clear();
        log.warn("target sftp://contoso:p4ss-in-uri@sftp.example/out?password=hunter2&binary=true");
        log.warn("token request: client_secret=abc123client \"access_token\": \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyaXAifQ"
                + ".c2lnbmF0dXJl\"");
        log.error("Authorization: Bearer tok.en-value refused", new IllegalStateException("password=exception-secret"));
    }
}
