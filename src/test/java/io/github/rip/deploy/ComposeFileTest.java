package io.github.rip.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docker/compose.yaml: what `up` starts, how secrets get in, what the demo profile runs; `docker compose config`. */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker/compose.yaml");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|PASSPHRASE).*");

    @Test
    void upStartsTheRunnerOnPostgresWithSftpPrometheusAndGrafana() throws Exception {
        JsonNode services = services();
        List<String> byDefault = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            if (!services.get(name).has("profiles")) {
                byDefault.add(name);
            }
        });
        assertThat(byDefault).contains("runner", "postgres", "sftp", "prometheus", "grafana");
        JsonNode runner = services.get("runner");
        assertThat(runner.at("/environment/RIP_DB_URL").asText()).startsWith("jdbc:postgresql://postgres:");
        assertThat(runner.at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");
        assertThat(texts(runner.get("volumes"))).anyMatch(volume -> volume.endsWith(":/app/routes/partner-sftp"
                + ".camel.yaml:ro"));
    }

    @Test
    void theDemoProfileIsTheRunnerAloneOnItsEmbeddedEmulator() throws Exception {
        JsonNode demo = services().get("demo");
        assertThat(texts(demo.get("profiles"))).containsExactly("demo");
        assertThat(demo.has("depends_on")).isFalse();
        assertThat(demo.has("environment")).as("no D365, no database: the embedded emulator and H2").isFalse();
        assertThat(demo.get("build").get("dockerfile").asText()).isEqualTo("docker/Dockerfile");
    }

    @Test
    void theClusterProfileIsThreeRunnersOnOneJournalOneEmulatorAndOneSharedVolume() throws Exception {
        JsonNode services = services();
        List<String> nodeIds = new ArrayList<>();
        for (String name : List.of("runner-1", "runner-2", "runner-3")) {
            JsonNode runner = services.get(name);
            assertThat(texts(runner.get("profiles"))).as(name).containsExactly("cluster");
            assertThat(runner.at("/environment/RIP_DB_URL").asText()).as(name)
                    .isEqualTo(services.at("/runner/environment/RIP_DB_URL").asText());
            assertThat(runner.at("/environment/D365_BASE_URL").asText()).as(name).isEqualTo("https://emulator:8443");
            assertThat(texts(runner.get("volumes"))).as(name).contains("cluster-data:/data");
            assertThat(runner.at("/depends_on/emulator/condition").asText()).isEqualTo("service_healthy");
            assertThat(runner.get("read_only").asBoolean()).isTrue();
            assertThat(Integer.parseInt(runner.get("stop_grace_period").asText().replace("s", "")))
                    .isGreaterThan(Tools.shutdownTimeoutSeconds());
            nodeIds.add(runner.at("/environment/RIP_NODE_ID").asText());
        }
        assertThat(nodeIds).containsExactly("runner-1", "runner-2", "runner-3");
        JsonNode emulator = services.get("emulator");
        assertThat(texts(emulator.get("command"))).startsWith("emulator");
        assertThat(Files.readString(Path.of("docker/demo/init-secrets.sh")))
                .contains("new emulator-client-secret", "emulator-truststore-password");
    }

    @Test
    void secretsArriveAsFilesNeverAsValues() throws Exception {
        JsonNode services = services();
        services.fieldNames().forEachRemaining(name -> {
            JsonNode environment = services.get(name).get("environment");
            if (environment != null) {
                environment.fieldNames().forEachRemaining(variable -> {
                    if (SECRET_NAME.matcher(variable).matches()) {
                        assertThat(variable).as(name + ": " + variable).endsWith("_FILE");
                        assertThat(environment.get(variable).asText()).as(name + ": " + variable)
                                .startsWith("/run/rip-secrets/");
                    }
                });
            }
        });
        String prometheus = Files.readString(Path.of("docker/prometheus.yml"));
        assertThat(prometheus).contains("credentials_file: " + services.at("/runner/environment/RIP_DASHBOARD_TOKEN_FILE")
                .asText(), "metrics_path: /observe/metrics", "runner:8080");
    }

    @Test
    void everyRunnerStopsGracefullyAndEveryMountedFileExists() throws Exception {
        JsonNode services = services();
        for (String name : List.of("runner", "demo")) {
            String grace = services.get(name).get("stop_grace_period").asText();
            assertThat(Integer.parseInt(grace.replace("s", ""))).as(name + " stop_grace_period")
                    .isGreaterThan(Tools.shutdownTimeoutSeconds());
            assertThat(services.get(name).get("read_only").asBoolean()).isTrue();
        }
        services.fieldNames().forEachRemaining(name -> texts(services.get(name).get("volumes")).stream()
                .filter(volume -> volume.startsWith("./"))
                .forEach(volume -> assertThat(COMPOSE.getParent().resolve(volume.split(":")[0]))
                        .as(name + " mounts " + volume).exists()));
    }

    @Test
    void dockerComposeAcceptsIt() throws Exception {
        Path docker = Tools.require("docker", "the compose file is only read");
        boolean plugin = Tools.run(docker.toString(), "compose", "version").exitCode() == 0;
        if (!plugin) {
            System.out.println("SKIPPED: no `docker compose` (Compose v2) on this machine; the compose file is only read");
        }
        assumeTrue(plugin, "no docker compose");
        for (List<String> profile : List.of(List.<String>of(), List.of("--profile", "demo"),
                List.of("--profile", "cluster"))) {
            List<String> command = new ArrayList<>(List.of(docker.toString(), "compose", "-f", COMPOSE.toString()));
            command.addAll(profile);
            command.addAll(List.of("config", "--quiet"));
            Tools.Result result = Tools.run(Path.of(""), Map.of(), command);
            assertThat(result.exitCode()).as(result.output()).isZero();
        }
    }

    /**
     * The services as Compose reads them: a service with `<<: *runner` gets the keys of x-runner it does not set
     * itself (Jackson reads YAML but does not resolve merge keys).
     */
    private static JsonNode services() throws Exception {
        JsonNode root = new YAMLMapper().readTree(COMPOSE.toFile());
        JsonNode runner = root.get("x-runner");
        JsonNode services = root.get("services");
        for (Iterator<String> names = services.fieldNames(); names.hasNext();) {
            ObjectNode service = (ObjectNode) services.get(names.next());
            if (service.remove("<<") != null) {
                runner.fields().forEachRemaining(entry -> service.putIfAbsent(entry.getKey(), entry.getValue()));
            }
        }
        return services;
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        if (array != null) {
            array.forEach(item -> result.add(item.asText()));
        }
        return result;
    }
}
