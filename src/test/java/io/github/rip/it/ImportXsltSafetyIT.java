package io.github.rip.it;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The XSLT step (routes/vendor-groups) with hostile or broken input: nothing leaks, the file fails with a reason. */
class ImportXsltSafetyIT {

    @TempDir
    Path data;
    PackRunner runner;

    @BeforeEach
    void start() throws Exception {
        runner = new PackRunner(data).start();
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
    }

    @Test
    void an_external_entity_is_never_resolved() throws Exception {
        Path secret = data.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-VALUE-42");
        Files.writeString(runner.job("vendor-groups").resolve("inbox/xxe.xml"), """
                <?xml version="1.0"?>
                <!DOCTYPE VendorGroups [<!ENTITY leak SYSTEM "%s">]>
                <VendorGroups><Group code="10" terms="Net30"><Name>&leak;</Name></Group></VendorGroups>
                """.formatted(secret.toUri()));

        String outcome = runner.awaitOutcome("vendor-groups", "xxe.xml");
        assertThat(outcome).startsWith("failed").contains("DOCTYPE");
        assertThat(runner.emulator().messages()).isEmpty();
        try (var files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.equals(secret)).toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain("TOP-SECRET-VALUE-42");
            }
        }
    }

    @Test
    void malformed_xml_fails_with_the_parser_message() throws Exception {
        Files.writeString(runner.job("vendor-groups").resolve("inbox/broken.xml"),
                "<VendorGroups><Group code=\"10\"><Name>Unclosed</Group></VendorGroups>");

        String outcome = runner.awaitOutcome("vendor-groups", "broken.xml");
        assertThat(outcome).startsWith("failed").contains("XSLT transform failed").contains("Name");
        assertThat(runner.job("vendor-groups").resolve("failed/broken.xml")).exists();
        assertThat(runner.job("vendor-groups").resolve("work")).isEmptyDirectory();
    }
}
