package io.github.rip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.rip.support.EmbeddedD365;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator and the pack know each other only through {@link EmbeddedD365}: the pack reaches the emulator through
 * ServiceLoader, and the emulator judges packages with its own code, so a packaging bug in the pack cannot pass the
 * emulator too. Read from the sources, so a fully qualified name in code counts as much as an import.
 */
class EmulatorIndependenceTest {

    static final Path SOURCES = Path.of("src/main/java");
    static final Path EMULATOR = SOURCES.resolve("io/github/rip/emulator");
    static final String DOOR = "io.github.rip.support.EmbeddedD365";
    static final Pattern PACK_REFERENCE = Pattern.compile("\\bio\\.github\\.rip\\.(?!emulator\\b)[\\w.]*\\w");

    @Test
    void noPackClassUsesTheEmulator() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : javaFiles(SOURCES)) {
            if (!file.startsWith(EMULATOR) && Files.readString(file).contains("io.github.rip.emulator")) {
                offenders.add(SOURCES.relativize(file).toString());
            }
        }

        assertEquals(List.of(), offenders, "These pack classes name io.github.rip.emulator; the pack must reach the"
                + " emulator only through " + DOOR + " (ServiceLoader, META-INF/services)");
    }

    @Test
    void theEmulatorUsesNoPackClassButTheInterfaceItImplements() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : javaFiles(EMULATOR)) {
            String source = Files.readString(file);
            Matcher m = PACK_REFERENCE.matcher(source);
            while (m.find()) {
                boolean implementsDoor = m.group().equals(DOOR) && source.contains("implements EmbeddedD365");
                if (!implementsDoor) {
                    offenders.add(EMULATOR.relativize(file) + ": " + m.group());
                }
            }
        }

        assertEquals(List.of(), offenders, "Emulator classes may name no other io.github.rip package, except " + DOOR
                + " in the class that implements it (EmbeddedEmulator)");
    }

    @Test
    void theServiceLoaderFindsTheEmulator() {
        assertTrue(ServiceLoader.load(EmbeddedD365.class).stream()
                .anyMatch(p -> p.type() == EmbeddedEmulator.class), "META-INF/services/" + DOOR);
        assertEquals(EmbeddedEmulator.class, EmbeddedD365.find().getClass());
    }

    @Test
    void theRunnerStartsItThroughTheInterfaceWithItsOwnApp(@TempDir Path dataDir) throws Exception {
        Map<String, String> runnerProperties = Map.of("emulator.exports.customer-groups.every", "0");
        EmbeddedD365.Options options = new EmbeddedD365.Options(0, dataDir,
                new StringReader("tenant: t1\nprocessingDelay: 5s\n"),
                v -> EmulatorMain.resolve(v, runnerProperties::get), Duration.ofMillis(300), "Runner-App", "s3cret");

        try (EmbeddedD365.Running running = EmbeddedD365.find().start(options)) {
            D365Emulator emulator = ((EmbeddedEmulator.Started) running).emulator();
            assertTrue(running.baseUrl().startsWith("https://localhost:"), running.baseUrl());
            assertEquals(running.baseUrl() + "/t1/", running.authority());
            assertTrue(Files.isRegularFile(running.trustStore()), running.trustStore().toString());
            assertEquals(dataDir.toAbsolutePath(), emulator.config().dataDir());
            assertEquals(Duration.ofMillis(300), emulator.config().processingDelay(), "the runner's, not the YAML's");
            assertTrue(EmulatorTestSupport.token(emulator, "runner-app", "s3cret", running.baseUrl()).length() > 20);
            assertFalse(options.toString().contains("s3cret"), options.toString());
        }
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
