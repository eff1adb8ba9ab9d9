package io.github.rip.emulator;

import java.time.Duration;

/** The export switches that tests may flip while the emulator runs; start from the configuration. */
final class ExportSettings {

    private volatile Duration visibilityTimeout;
    private volatile boolean redeliveryNewCorrelationId;
    private volatile boolean downloadLocationHttpPort80;

    ExportSettings(EmulatorConfig config) {
        this.visibilityTimeout = config.visibilityTimeout();
        this.redeliveryNewCorrelationId = config.redeliveryNewCorrelationId();
        this.downloadLocationHttpPort80 = config.downloadLocationHttpPort80();
    }

    Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    void visibilityTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("The visibility timeout must be positive");
        }
        visibilityTimeout = timeout;
    }

    boolean redeliveryNewCorrelationId() {
        return redeliveryNewCorrelationId;
    }

    void redeliveryNewCorrelationId(boolean enabled) {
        redeliveryNewCorrelationId = enabled;
    }

    boolean downloadLocationHttpPort80() {
        return downloadLocationHttpPort80;
    }

    void downloadLocationHttpPort80(boolean enabled) {
        downloadLocationHttpPort80 = enabled;
    }
}
