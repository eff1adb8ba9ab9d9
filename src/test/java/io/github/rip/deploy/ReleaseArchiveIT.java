package io.github.rip.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release archive of `mvn package` as an operator uses it: unpack, check the configuration with the jar inside,
 * install with install.sh (here under a folder, --root), install again as an upgrade.
 */
class ReleaseArchiveIT {

    @TempDir
    Path temp;

    @Test
    void theArchiveHoldsWhatAServerNeedsAndInstallsInOneGo() throws Exception {
        Path archive = archive();
        String folder = archive.getFileName().toString().replace(".tar.gz", "");
        Tools.Result listing = Tools.run("tar", "-tzvf", archive.toString());
        assertThat(listing.exitCode()).as(listing.output()).isZero();
        List<String> entries = listing.output().lines().map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .map(name -> name.substring(folder.length() + 1)).filter(name -> !name.endsWith("/")).toList();
        assertThat(entries).containsExactlyInAnyOrder("recurring-integrations-pack.jar", "application.properties",
                "log4j2.properties", "recurring-integrations-pack.service", "install.sh", "INSTALL.txt",
                "routes/customer-groups.camel.yaml", "routes/customer-groups-export.camel.yaml",
                "routes/master-data-package.camel.yaml", "routes/vendor-groups.camel.yaml", "transforms/vendor-groups.xsl");
        assertThat(listing.output()).containsPattern("-rwxr-xr-x .* " + folder + "/install.sh");

        assertThat(Tools.run(temp, Map.of(), List.of("tar", "-xzf", archive.toString())).exitCode()).isZero();
        Path release = temp.resolve(folder);
        assertThat(Files.readString(release.resolve("INSTALL.txt"))).contains(folder.substring(folder.indexOf("-pack-")
                + 6)).doesNotContain("${");
        assertThat(release.resolve("recurring-integrations-pack.service"))
                .hasSameTextualContentAs(Path.of("docker/recurring-integrations-pack.service"));

        // the first thing to try on a server: does the shipped configuration start?
        Tools.Result validate = Tools.run(release, Map.of("RIP_DATA_DIR", temp.resolve("data").toString()),
                List.of(java(), "-jar", "recurring-integrations-pack.jar", "validate"));
        assertThat(validate.exitCode()).as(validate.output()).isZero();
        assertThat(validate.output()).contains("configuration OK: 4 jobs");

        Path root = temp.resolve("root");
        Tools.Result install = Tools.run(release, Map.of(), List.of("./install.sh", "--root", root.toString()));
        assertThat(install.exitCode()).as(install.output()).isZero();
        Path etc = root.resolve("etc/recurring-integrations-pack");
        assertThat(root.resolve("opt/recurring-integrations-pack/recurring-integrations-pack.jar")).exists();
        assertThat(root.resolve("etc/systemd/system/recurring-integrations-pack.service")).exists();
        assertThat(etc.resolve("routes/customer-groups.camel.yaml")).exists();
        assertThat(etc.resolve("sftp/known_hosts")).exists();
        assertThat(permissions(etc.resolve("credentials"))).isEqualTo("rwx------");
        assertThat(permissions(etc.resolve("env"))).isEqualTo("rw-------");
        assertThat(permissions(etc.resolve("application.properties"))).isEqualTo("rw-r-----");

        // an upgrade: the operator's files stay, the release's defaults land beside them
        Files.writeString(etc.resolve("application.properties"), "d365.base-url = https://contoso.example\n");
        Tools.Result upgrade = Tools.run(release, Map.of(), List.of("./install.sh", "--root", root.toString()));
        assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
        assertThat(etc.resolve("application.properties")).hasContent("d365.base-url = https://contoso.example");
        assertThat(etc.resolve("application.properties.dist")).hasSameTextualContentAs(Path.of("application.properties"));
    }

    /** target/recurring-integrations-pack-<version>.tar.gz, beside the test classes in the build folder. */
    private static Path archive() throws Exception {
        Path build = Path.of(ReleaseArchiveIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        try (Stream<Path> files = Files.list(build)) {
            List<Path> archives = files.filter(file -> file.getFileName().toString()
                    .matches("recurring-integrations-pack-.+\\.tar\\.gz")).toList();
            assertThat(archives).as("the release archive in " + build).hasSize(1);
            return archives.get(0);
        }
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
