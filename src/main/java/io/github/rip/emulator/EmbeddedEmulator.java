package io.github.rip.emulator;

import java.io.IOException;
import java.nio.file.Path;

import io.github.rip.support.EmbeddedD365;

/**
 * The emulator behind the pack's {@link EmbeddedD365} door (registered in META-INF/services). The only emulator class
 * that knows the pack: everything else here stands on its own.
 */
public final class EmbeddedEmulator implements EmbeddedD365 {

    /** For {@link java.util.ServiceLoader}. */
    public EmbeddedEmulator() {
    }

    @Override
    public Started start(Options options) throws IOException {
        EmulatorConfig config = options.config() == null ? EmulatorConfig.loadDefault(options.placeholders())
                : EmulatorConfig.load(options.config(), options.placeholders());
        EmulatorConfig.Builder builder = config.toBuilder().port(options.port()).dataDir(options.dataDir());
        if (options.processingDelay() != null) {
            builder.processingDelay(options.processingDelay());
        }
        D365Emulator emulator = D365Emulator.start(builder.build());
        if (options.clientId() != null && options.clientSecret() != null) {
            emulator.registerApp(AppRegistration.withSecret(options.clientId(), options.clientSecret()));
        }
        return new Started(emulator);
    }

    @Override
    public void runAlone(String[] args) throws Exception {
        EmulatorMain.main(args);
    }

    /** A started emulator; tests reach the whole {@link D365Emulator} through it. */
    public record Started(D365Emulator emulator) implements Running {

        @Override
        public String baseUrl() {
            return emulator.baseUrl();
        }

        @Override
        public String authority() {
            return emulator.authority();
        }

        @Override
        public Path trustStore() {
            return emulator.trustStore();
        }

        @Override
        public String trustStorePassword() {
            return emulator.trustStorePassword();
        }

        @Override
        public void close() {
            emulator.stop();
        }
    }
}
