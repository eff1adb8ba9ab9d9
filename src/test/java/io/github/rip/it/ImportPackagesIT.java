package io.github.rip.it;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import io.github.rip.emulator.EmulatorMessage;
import io.github.rip.journal.ImportRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Package-mode import end to end: generated multi-entity packages and ready-made zips (routes/master-data-package). */
class ImportPackagesIT {

    private static final String NS = "http://schemas.microsoft.com/dynamics/2015/01/DataManagement";
    private static final Path BATCH = Path.of("docs/samples/master-data-batch");

    @TempDir
    Path data;
    PackRunner runner;
    Path job;

    @BeforeEach
    void start() throws Exception {
        runner = new PackRunner(data).start();
        job = runner.job("master-data-package");
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
    }

    @Test
    void a_batch_folder_becomes_one_package_with_a_generated_manifest_and_is_processed() throws Exception {
        dropBatch("batch-001");

        assertThat(runner.awaitOutcome("master-data-package", "batch-001.zip")).startsWith("processed");
        Path processed = job.resolve("processed/batch-001.zip");
        assertThat(job.resolve("inbox/batch-001")).doesNotExist();

        try (ZipFile zip = new ZipFile(processed.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertThat(names).containsExactlyInAnyOrder("Manifest.xml", "PackageHeader.xml", "customer-groups.csv",
                    "vendor-groups.csv", "customers.csv");
            for (String csv : List.of("customer-groups.csv", "vendor-groups.csv", "customers.csv")) {
                try (InputStream in = zip.getInputStream(zip.getEntry(csv))) {
                    assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(BATCH.resolve(csv)));
                }
            }
            Element manifest = parse(zip, "Manifest.xml").getDocumentElement();
            assertThat(manifest.getNamespaceURI()).isEqualTo(NS);
            assertThat(manifest.getLocalName()).isEqualTo("DataManagementPackageManifest");
            assertThat(text(manifest, "DefinitionGroupName")).isEqualTo("Master data");
            List<Element> entities = children(manifest, "DataManagementPackageEntityData");
            assertThat(entities).hasSize(3);
            assertEntity(entities.get(0), "Customer groups", "customer-groups.csv", "1", "1", "1",
                    List.of("CUSTOMERGROUPID", "DESCRIPTION", "DEFAULTDIMENSIONDISPLAYVALUE", "PAYMENTTERMID"));
            assertEntity(entities.get(1), "Vendor groups", "vendor-groups.csv", "1", "1", "2",
                    List.of("VENDORGROUPID", "DESCRIPTION", "DEFAULTPAYMENTTERMNAME"));
            assertEntity(entities.get(2), "Customers V3", "customers.csv", "1", "2", "1",
                    List.of("CUSTOMERACCOUNT", "ORGANIZATIONNAME", "CUSTOMERGROUPID", "SALESCURRENCYCODE"));

            Element header = parse(zip, "PackageHeader.xml").getDocumentElement();
            assertThat(header.getLocalName()).isEqualTo("DataManagementPackageHeader");
            assertThat(text(header, "ManifestType"))
                    .isEqualTo("Microsoft.Dynamics.AX.Framework.Tools.DataManagement.Serialization.DataManagementPackageManifest");
            assertThat(text(header, "PackageType")).isEqualTo("DefinitionGroup");
        }

        String report = Files.readString(job.resolve("processed/batch-001.zip.report.txt"));
        assertThat(report).contains("PROCESSED").contains("Customer groups").contains("Vendor groups").contains("Customers V3");
        ImportRecord row = runner.journal().latest("master-data-package", "batch-001.zip").orElseThrow();
        EmulatorMessage received = runner.emulator().message(row.messageId()).orElseThrow();
        assertThat(received.entity()).as("package enqueues carry no entity").isNull();
        assertThat(received.externalIdentifier()).isEqualTo("batch-001.zip");
        assertThat(Files.readAllBytes(received.bodyPath())).isEqualTo(Files.readAllBytes(processed));
    }

    @Test
    void a_broken_package_is_rejected_locally_and_never_uploaded() throws Exception {
        Path zip = job.resolve("inbox/broken.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("PackageHeader.xml"));
            out.write("<DataManagementPackageHeader/>".getBytes());
            out.putNextEntry(new ZipEntry("customer-groups.csv"));
            out.write(Files.readAllBytes(BATCH.resolve("customer-groups.csv")));
        }

        Path report = job.resolve("failed/broken.zip.report.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));

        assertThat(job.resolve("failed/broken.zip")).exists();
        assertThat(Files.readString(report)).contains("not valid").contains("Manifest.xml");
        assertThat(runner.emulator().messages()).isEmpty();
    }

    @Test
    void a_batch_with_a_file_no_entity_claims_is_rejected_with_the_file_named() throws Exception {
        Path batch = job.resolve("inbox/batch-002");
        Files.createDirectories(batch);
        Files.copy(BATCH.resolve("customer-groups.csv"), batch.resolve("customer-groups.csv"));
        Files.writeString(batch.resolve("invoices.csv"), "INVOICEID,AMOUNT\n1,10\n");
        Files.createFile(batch.resolve("batch.ready"));

        Path report = job.resolve("failed/batch-002.report.txt");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report));

        assertThat(Files.readString(report)).contains("invoices.csv");
        assertThat(job.resolve("failed/batch-002/customer-groups.csv")).exists();
        assertThat(runner.emulator().messages()).isEmpty();
    }

    private void dropBatch(String name) throws Exception {
        Path batch = job.resolve("inbox").resolve(name);
        Files.createDirectories(batch);
        for (String file : List.of("customer-groups.csv", "vendor-groups.csv", "customers.csv")) {
            Files.copy(BATCH.resolve(file), batch.resolve(file));
        }
        Files.createFile(batch.resolve("batch.ready")); // the marker comes last
    }

    private static void assertEntity(Element entity, String name, String file, String unit, String level, String sequence,
                                     List<String> columns) {
        assertThat(text(entity, "EntityName")).isEqualTo(name);
        assertThat(text(entity, "InputFilePath")).isEqualTo(file);
        assertThat(text(entity, "ExecutionUnit")).isEqualTo(unit);
        assertThat(text(entity, "LevelInExecutionUnit")).isEqualTo(level);
        assertThat(text(entity, "SequenceInLevel")).isEqualTo(sequence);
        assertThat(text(entity, "SourceFormat")).isEqualTo("CSV");
        List<String> xmlFields = new ArrayList<>();
        List<String> entityFields = new ArrayList<>();
        for (Element map : children(entity, "EntityMap")) {
            xmlFields.add(text(map, "XMLField"));
            entityFields.add(text(map, "EntityField"));
        }
        assertThat(xmlFields).isEqualTo(columns);
        assertThat(entityFields).isEqualTo(columns.stream().map(String::toUpperCase).toList());
    }

    private static Document parse(ZipFile zip, String entry) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try (InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> children(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS(NS, localName);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static String text(Element parent, String localName) {
        return children(parent, localName).get(0).getTextContent();
    }
}
