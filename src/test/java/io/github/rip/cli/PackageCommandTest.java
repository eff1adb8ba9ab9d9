package io.github.rip.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code package build} and {@code package check} as a user runs them: exit codes, what they print, the zip made. */
class PackageCommandTest {

    private static final Path BATCH = Path.of("docs/samples/master-data-batch");
    private static final String[] ENTITIES = {
        "--entity", "Customer groups | customer-groups*.csv | 1.1.1 | CSV",
        "--entity", "Vendor groups | vendor-groups*.csv | 1.1.2 | CSV",
        "--entity", "Customers V3 | customers*.csv | 1.2.1 | CSV"};

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void buildMakesThePackageAJobWouldMakeAndCheckAcceptsIt() throws Exception {
        Path zip = temp.resolve("master-data.zip");

        int built = run(concat(new String[] {"build", BATCH.toString(), "--project", "Master data", "-o",
            zip.toString()}, ENTITIES));

        assertThat(built).isZero();
        assertThat(zip).exists();
        assertThat(printed()).startsWith("OK " + zip.toAbsolutePath()).contains("data project: Master data")
                .contains("1.1.1  Customer groups  <- customer-groups.csv (CSV)")
                .contains("1.2.1  Customers V3  <- customers.csv (CSV)");

        out.reset();
        JsonNode checked = new ObjectMapper().readTree(runJson("check", zip.toString()));
        assertThat(checked.get("ok").asBoolean()).isTrue();
        assertThat(checked.get("project").asText()).isEqualTo("Master data");
        assertThat(checked.get("entities")).hasSize(3);
        assertThat(checked.get("problems")).isEmpty();
    }

    @Test
    void aBatchFileNoEntityClaimsIsNamedAndNothingIsWritten() throws Exception {
        Path batch = Files.createDirectories(temp.resolve("batch"));
        Files.copy(BATCH.resolve("customer-groups.csv"), batch.resolve("customer-groups.csv"));
        Files.writeString(batch.resolve("stray.csv"), "A,B\n1,2\n");
        Path zip = temp.resolve("out.zip");

        int exit = run("build", batch.toString(), "--entity", "Customer groups | customer-groups*.csv | 1.1.1", "-o",
                zip.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(printed()).startsWith("NOT OK").contains("problem: ").contains("stray.csv");
        assertThat(zip).doesNotExist();
    }

    @Test
    void checkNamesWhatIsWrongWithAPackage() throws Exception {
        Path zip = temp.resolve("no-manifest.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("customer-groups.csv"));
            z.write("CUSTOMERGROUPID\nX\n".getBytes(StandardCharsets.UTF_8));
        }

        JsonNode checked = new ObjectMapper().readTree(runJson("check", zip.toString()));

        assertThat(checked.get("ok").asBoolean()).isFalse();
        assertThat(checked.get("problems").toString()).contains("Manifest.xml");
    }

    @Test
    void wrongArgumentsExitWithTwoAndTheUsage() {
        assertThat(run("build", BATCH.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs -o PACKAGE.zip").contains("usage: package");
        assertThat(run("--help")).isZero();
        assertThat(printed()).contains("exit codes: 0 built / valid, 1 problems found");
        assertThat(run("inspect", "x.zip")).isEqualTo(2);
        assertThat(run("check", "x.zip", "--bogus")).isEqualTo(2);
    }

    private String runJson(String... args) {
        assertThat(run(concat(args, new String[] {"--json"}))).isBetween(0, 1);
        return printed();
    }

    private int run(String... args) {
        return new PackageCommand(print(out), print(err)).run(args);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream print(OutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
