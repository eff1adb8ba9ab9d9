package io.github.rip.support;

import org.apache.camel.Exchange;
import org.slf4j.MDC;

/**
 * Exchange properties that Camel's MDC (camel.mdc.custom-properties in application.properties) copies into every log
 * line of the exchange: the JSON log writes them as the fields "job" and "messageId". Plain Strings, so the MDC shows
 * the value, not an object.
 */
public final class LogFields {

    /** The job's name. */
    public static final String JOB = "ripJobName";
    /** D365's message id (import) or CorrelationId (export), once known. */
    public static final String MESSAGE_ID = "ripMessageId";

    private LogFields() {
    }

    /**
     * Sets the field for the rest of the exchange, and at once for the step setting it (Camel's MDC copies properties
     * before each step and restores the previous MDC after it, so nothing outlives the step).
     */
    public static void set(Exchange exchange, String field, String value) {
        exchange.setProperty(field, value);
        if (value != null) {
            MDC.put(field, value);
        }
    }
}
