package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.rip.emulator.EmulatorConfig;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** D365's undocumented wire variations are tolerated, and no secret or token ever reaches the log. */
class WireFormatsAndSecretsIT {

    private static final Path SAMPLE = Path.of("docs/samples/customer-groups.csv");

    @TempDir
    Path data;

    @Test
    void braced_upper_case_message_ids_and_enum_names_are_understood() throws Exception {
        try (StandaloneEmulator emulator = new StandaloneEmulator(data.resolve("emulator"), b -> b
                .messageIdFormat(EmulatorConfig.MessageIdFormat.BRACED_UPPERCASE)
                .enumFormat(EmulatorConfig.EnumFormat.NAME)
                .dateFormat(EmulatorConfig.DateFormat.DOTNET)).start();
             PackRunner runner = emulator.configure(new PackRunner(data.resolve("runner"))).start()) {
            Files.copy(SAMPLE, runner.job("customer-groups").resolve("inbox/groups.csv"));

            assertThat(runner.awaitOutcome("customer-groups", "groups.csv")).startsWith("processed")
                    .contains("\"DataJobState\":\"Processed\"");
            String messageId = runner.journal().latest("customer-groups", "groups.csv").orElseThrow().messageId();
            assertThat(messageId).matches("[0-9a-f-]{36}");
            assertThat(emulator.get().message(messageId)).isPresent();
        }
    }

    @Test
    void neither_the_client_secret_nor_a_token_is_ever_logged() throws Exception {
        String secret = "s3cr3t-" + System.nanoTime();
        List<String> logged = new CopyOnWriteArrayList<>();
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getMessage().getFormattedMessage()
                        + (event.getThrown() == null ? "" : " " + event.getThrown()));
            }
        };
        capture.start();
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        logs.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        Configurator.setLevel("io.github.rip", Level.DEBUG);
        Configurator.setLevel("com.microsoft.aad.msal4j", Level.DEBUG);
        logs.updateLoggers();
        String token;
        try (StandaloneEmulator emulator = new StandaloneEmulator(data.resolve("emulator"), b -> { }).start();
             PackRunner runner = emulator.configure(new PackRunner(data.resolve("runner")))
                     .set("d365.client-secret", secret).start()) {
            emulator.get().registerApp(io.github.rip.emulator.AppRegistration.withSecret(StandaloneEmulator.CLIENT_ID,
                    secret));
            Files.copy(SAMPLE, runner.job("customer-groups").resolve("inbox/groups.csv"));
            assertThat(runner.awaitOutcome("customer-groups", "groups.csv")).startsWith("processed");
            token = runner.tokens().token();
        } finally {
            logs.getConfiguration().getRootLogger().removeAppender("capture");
            Configurator.setLevel("io.github.rip", Level.INFO);
            Configurator.setLevel("com.microsoft.aad.msal4j", Level.WARN);
            logs.updateLoggers();
        }
        assertThat(logged).isNotEmpty();
        assertThat(logged).noneMatch(line -> line.contains(secret));
        assertThat(logged).noneMatch(line -> line.contains(token));
        assertThat(logged).noneMatch(line -> line.contains(token.substring(0, 40)));
    }
}
