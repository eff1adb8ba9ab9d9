package io.github.rip.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker/Dockerfile as a reviewer reads it (a build from a clean clone, non-root, /data writable by that user on a new
 * volume, a health check, a graceful stop), and, where a container engine runs, as it builds.
 */
class DockerfileTest {

    private static final Path DOCKERFILE = Path.of("docker/Dockerfile");

    @Test
    void twoStagesAndNothingBuiltOnTheHost() throws Exception {
        List<String> stages = instructions().stream().filter(line -> line.startsWith("FROM ")).toList();
        assertThat(stages).hasSize(2);
        assertThat(stages.get(0)).endsWith(" AS build");
        List<String> build = stage(0);
        assertThat(build).anyMatch(line -> line.startsWith("RUN ") && line.contains("mvn ") && line.contains(" package"));
        // the runtime stage takes the jar from the build stage, never from a target/ folder of the host
        assertThat(stage(1)).filteredOn(line -> line.startsWith("COPY ") && line.contains("target/"))
                .allMatch(line -> line.startsWith("COPY --from=build "));
    }

    @Test
    void theRuntimeUserIsNotRootAndOwnsTheDataVolume() throws Exception {
        List<String> runtime = stage(1);
        String user = last(runtime, "USER ");
        assertThat(user).isNotBlank().isNotIn("root", "0");
        int volume = indexOf(runtime, "VOLUME /data");
        assertThat(volume).as("VOLUME /data").isPositive();
        // a new named volume copies /data from the image, owner included: it must be the user's before VOLUME
        assertThat(runtime.subList(0, volume)).anyMatch(line -> line.startsWith("RUN ")
                && line.contains("mkdir -p /data") && line.matches(".*chown " + user + ":" + user + " /data\\b.*"));
        assertThat(indexOf(runtime, "USER " + user)).isLessThan(volume);
    }

    @Test
    void healthStopAndPortAreDeclared() throws Exception {
        List<String> runtime = stage(1);
        assertThat(runtime).contains("EXPOSE 8080", "STOPSIGNAL SIGTERM");
        assertThat(last(runtime, "HEALTHCHECK ")).contains("http://127.0.0.1:8080/observe/health/live");
        // exec form: java is PID 1 and gets the SIGTERM itself (a shell form would swallow it)
        assertThat(last(runtime, "ENTRYPOINT ")).startsWith("[\"java\"");
    }

    @Test
    void everythingTheBuildCopiesIsInTheBuildContext() throws Exception {
        List<String> allowed = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(line -> line.startsWith("!")).map(line -> line.substring(1)).toList();
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).contains("*");
        List<String> sources = new ArrayList<>();
        for (String line : instructions()) {
            if (line.startsWith("COPY ") && !line.startsWith("COPY --from=")) {
                String[] words = line.split("\\s+");
                sources.add(words[1]);
            }
        }
        assertThat(sources).isNotEmpty().allSatisfy(source -> {
            assertThat(Files.exists(Path.of(source))).as(source + " exists").isTrue();
            assertThat(allowed).as(source + " is let through by .dockerignore")
                    .anyMatch(prefix -> source.equals(prefix) || source.startsWith(prefix + "/"));
        });
    }

    @Test
    void theImageBuildsAndANewVolumeIsWritableByItsUser() throws Exception {
        Path docker = Tools.require("docker", "the image is only read, not built");
        Tools.Result info = Tools.run(docker.toString(), "info");
        if (info.exitCode() != 0) {
            System.out.println("SKIPPED: no container engine answers (docker info failed); the image is only read, "
                    + "not built");
        }
        assumeTrue(info.exitCode() == 0, "no container engine");
        String tag = "rip-test-" + UUID.randomUUID();
        String volume = tag + "-data";
        try {
            Tools.Result build = Tools.run(Path.of(""), Map.of(), List.of(docker.toString(), "build", "-f",
                    DOCKERFILE.toString(), "-t", tag, "."));
            assertThat(build.exitCode()).as(build.output()).isZero();
            Tools.Result write = Tools.run(docker.toString(), "run", "--rm", "-v", volume + ":/data", "--entrypoint",
                    "sh", tag, "-c", "id -u && touch /data/written && stat -c %U /data");
            assertThat(write.exitCode()).as(write.output()).isZero();
            assertThat(write.output()).doesNotStartWith("0\n").contains("rip");
        } finally {
            Tools.run(docker.toString(), "volume", "rm", "-f", volume);
            Tools.run(docker.toString(), "image", "rm", "-f", tag);
        }
    }

    /** The Dockerfile's instructions, continuation lines joined, comments left out. */
    private static List<String> instructions() throws Exception {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            result.add(current.append(line).toString().replaceAll("\\s+", " "));
            current.setLength(0);
        }
        return result;
    }

    /** The instructions of stage n (0 = the first FROM), the FROM itself excluded. */
    private static List<String> stage(int n) throws Exception {
        List<String> all = instructions();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith("FROM ")) {
                starts.add(i);
            }
        }
        int end = n + 1 < starts.size() ? starts.get(n + 1) : all.size();
        return all.subList(starts.get(n) + 1, end);
    }

    private static String last(List<String> lines, String prefix) {
        String found = null;
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                found = line.substring(prefix.length()).strip();
            }
        }
        return found;
    }

    private static int indexOf(List<String> lines, String line) {
        return lines.indexOf(line);
    }
}
