package io.github.rip.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * The pack's only way to the built-in D365 emulator: {@code PackConfiguration} starts it through this interface when
 * no {@code d365.base-url} is configured, and the {@code emulator} command runs it alone. The implementation is found
 * with {@link ServiceLoader}, so no pack class imports the emulator and the emulator cannot lean on the pack's code
 * (a packaging bug in the pack must not pass the emulator too).
 */
public interface EmbeddedD365 {

    /**
     * What the runner decides for its embedded emulator.
     *
     * @param port            port to bind; 0 picks a free one
     * @param dataDir         the emulator's own state (certificate, keys, messages); kept across restarts
     * @param config          the emulator's YAML configuration, or null for the one it ships; the caller closes it
     * @param placeholders    resolves {@code {{name}}} / {@code {{name:default}}} in the YAML with the runner's
     *                        properties
     * @param processingDelay how long a message stays Enqueued; null keeps the YAML's
     * @param clientId        the runner's app id; with {@code clientSecret} it is registered (replacing the YAML's
     *                        example secret for that app); null registers nothing
     * @param clientSecret    the runner's secret, maybe generated for this run; null registers nothing
     */
    record Options(int port, Path dataDir, Reader config, UnaryOperator<String> placeholders,
                   Duration processingDelay, String clientId, String clientSecret) {

        /** Never prints the secret: options may end up in logs. */
        @Override
        public String toString() {
            return "Options[port=" + port + ", dataDir=" + dataDir + ", processingDelay=" + processingDelay
                    + ", clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "***") + "]";
        }
    }

    /** A running emulator: what a client needs to call it. Closing stops it; its state stays in the data folder. */
    interface Running extends AutoCloseable {

        /** The D365 environment URL, also the resource tokens are requested for. */
        String baseUrl();

        /** The Entra ID authority of its token endpoint. */
        String authority();

        /** A PKCS12 trust store holding only the emulator's generated certificate. */
        Path trustStore();

        String trustStorePassword();

        @Override
        void close();
    }

    /** Starts an emulator; returns once it accepts connections. */
    Running start(Options options) throws IOException;

    /** Runs the emulator alone with command-line arguments ({@code emulator --help}) until the JVM is stopped. */
    void runAlone(String[] args) throws Exception;

    /** The emulator of this build. */
    static EmbeddedD365 find() {
        return ServiceLoader.load(EmbeddedD365.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "This build has no D365 emulator (no META-INF/services/" + EmbeddedD365.class.getName()
                        + "): configure d365.base-url"));
    }
}
