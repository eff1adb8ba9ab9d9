package io.github.rip.emulator;

import static io.github.rip.emulator.EmulatorTestSupport.PACKAGE_JOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Package-mode jobs: zips built by hand (UTF-16 manifest, as D365 writes it) and judged through PackageReader. */
class PackageImportTest {

    static final String NS = "http://schemas.microsoft.com/dynamics/2015/01/DataManagement";
    static final String VENDORS_XML = "<Document><VENDORGROUPS VENDORGROUPID=\"V1\" DESCRIPTION=\"Local\"/></Document>";

    @TempDir
    static Path dataDir;
    static D365Emulator emulator;
    static HttpClient http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        emulator = D365Emulator.start(EmulatorTestSupport.config(dataDir).build());
        http = EmulatorTestSupport.httpClient(emulator);
        token = EmulatorTestSupport.token(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aValidPackageIsProcessedInExecutionOrder() throws Exception {
        Package pkg = new Package()
                .entity("Customer groups", "Customer groups.csv", "CSV-Unicode", "1.2.1", false,
                        "CUSTOMERGROUPID", "DESCRIPTION")
                .entity("Vendor groups", "Vendor groups.xml", "XML-Attribute", "1.1.1", false,
                        "VENDORGROUPID", "DESCRIPTION")
                .file("Customer groups.csv", "CUSTOMERGROUPID,DESCRIPTION\r\n10,Retail\r\n20,Export\r\n")
                .file("Vendor groups.xml", VENDORS_XML);

        JsonNode status = importPackage(pkg.zip());

        assertEquals(5, status.get("DataJobStatus").get("DataJobState").asInt(), status.toString());
        JsonNode details = status.get("ExecutionDetail");
        assertEquals("Vendor groups", details.get(0).get("EntityName").asText());
        assertEquals(1, details.get(0).get("TargetRecords").asInt());
        assertEquals("Customer groups", details.get(1).get("EntityName").asText());
        assertEquals(2, details.get(1).get("TargetRecords").asInt());
        String log = status.get("ExecutionLog").asText();
        System.out.println(log);
        assertTrue(log.contains("in order: 1.1.1 Vendor groups, 1.2.1 Customer groups."), log);
    }

    @Test
    void aPackageWithoutPackageHeaderIsAPreProcessError() throws Exception {
        Package pkg = new Package().withoutHeader()
                .entity("Vendor groups", "Vendor groups.xml", "XML-Attribute", "1.1.1", false,
                        "VENDORGROUPID", "DESCRIPTION")
                .file("Vendor groups.xml", VENDORS_XML);

        JsonNode status = importPackage(pkg.zip());

        assertEquals(8, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("Package is missing PackageHeader.xml"),
                status.get("ExecutionLog").asText());
    }

    @Test
    void aPackageMissingAnInputFileIsAPreProcessError() throws Exception {
        Package pkg = new Package().entity("Vendor groups", "Vendor groups.xml", "XML-Attribute", "1.1.1", false,
                "VENDORGROUPID", "DESCRIPTION");

        JsonNode status = importPackage(pkg.zip());

        assertEquals(8, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("Vendor groups.xml"), status.get("ExecutionLog").asText());
    }

    @Test
    void somethingThatIsNotAZipIsAPreProcessError() throws Exception {
        JsonNode status = importPackage("CUSTOMERGROUPID,DESCRIPTION\n".getBytes(StandardCharsets.UTF_8));

        assertEquals(8, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("zip"), status.get("ExecutionLog").asText());
    }

    @Test
    void aColumnOfTheFieldMapMissingFromTheFileIsAPreProcessError() throws Exception {
        Package pkg = new Package()
                .entity("Customer groups", "groups.csv", "CSV", "1.1.1", false, "CUSTOMERGROUPID", "DESCRIPTION",
                        "CLEARINGPERIOD")
                .file("groups.csv", "CUSTOMERGROUPID,DESCRIPTION\n10,Retail\n");

        JsonNode status = importPackage(pkg.zip());

        assertEquals(8, status.get("DataJobStatus").get("DataJobState").asInt());
        assertTrue(status.get("ExecutionLog").asText().contains("maps column CLEARINGPERIOD"),
                status.get("ExecutionLog").asText());
    }

    @Test
    void anErrorWithFailExecutionUnitOnErrorStopsTheRestOfTheUnit() throws Exception {
        Package pkg = new Package()
                .entity("Customer groups", "groups.csv", "CSV", "1.1.1", true, "CUSTOMERGROUPID", "DESCRIPTION")
                .entity("Vendor groups", "vendors.xml", "XML-Element", "1.2.1", false, "VENDORGROUPID", "DESCRIPTION")
                .entity("Vendor groups", "vendors2.xml", "XML-Element", "2.1.1", false, "VENDORGROUPID", "DESCRIPTION")
                .file("groups.csv", "CUSTOMERGROUPID,DESCRIPTION\n10,\n")
                .file("vendors.xml", VENDORS_XML)
                .file("vendors2.xml", VENDORS_XML);

        JsonNode status = importPackage(pkg.zip());

        assertEquals(6, status.get("DataJobStatus").get("DataJobState").asInt());
        JsonNode details = status.get("ExecutionDetail");
        assertEquals(1, details.get(0).get("TargetErrorCount").asInt());
        assertEquals(6, details.get(1).get("StagingStatus").asInt(), "NotRun: same unit after a failure");
        assertEquals(4, details.get(2).get("TargetStatus").asInt(), "other units still run");
    }

    private static JsonNode importPackage(byte[] zip) throws Exception {
        HttpResponse<String> r = EmulatorTestSupport.enqueue(http, emulator, token,
                "/api/connector/enqueue/" + PACKAGE_JOB + "?company=USMF", zip, "package.zip");
        assertEquals(200, r.statusCode(), r.body());
        return EmulatorTestSupport.awaitTerminal(http, emulator, token, PACKAGE_JOB, EmulatorTestSupport.messageId(r));
    }

    /** A package zip under construction: manifest entities plus files; PackageHeader.xml unless left out. */
    static final class Package {
        private final List<String> entities = new ArrayList<>();
        private final Map<String, byte[]> files = new LinkedHashMap<>();
        private boolean header = true;

        Package entity(String name, String file, String format, String position, boolean failUnit, String... columns) {
            String[] p = position.split("\\.");
            StringBuilder maps = new StringBuilder();
            for (String c : columns) {
                maps.append("<EntityMap><ArrayIndex>0</ArrayIndex><EntityField>").append(c)
                        .append("</EntityField><EntityFieldConversionList i:nil=\"true\"/><IsAutoDefault>false"
                                + "</IsAutoDefault><IsAutoGenerated>false</IsAutoGenerated><IsDefaultValueEqualNull>"
                                + "false</IsDefaultValueEqualNull><UseTextQualifier>false</UseTextQualifier><XMLField>")
                        .append(c).append("</XMLField></EntityMap>");
            }
            entities.add("<DataManagementPackageEntityData><EntityMapList>" + maps + "</EntityMapList><EntityName>"
                    + name + "</EntityName><EntityTransformList i:nil=\"true\"/><ExcelSheetName/><ExecutionUnit>"
                    + p[0] + "</ExecutionUnit><FailExecutionUnitOnError>" + failUnit + "</FailExecutionUnitOnError>"
                    + "<FailLevelOnError>false</FailLevelOnError><InputFilePath>" + file + "</InputFilePath>"
                    + "<LevelInExecutionUnit>" + p[1] + "</LevelInExecutionUnit><RunBusinessLogic>true"
                    + "</RunBusinessLogic><RunBusinessValidation>true</RunBusinessValidation><SampleFilePath/>"
                    + "<SequenceInLevel>" + p[2] + "</SequenceInLevel><SourceFormat>" + format + "</SourceFormat>"
                    + "<ValidationStatus>Yes</ValidationStatus></DataManagementPackageEntityData>");
            return this;
        }

        Package file(String name, String content) {
            files.put(name, content.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Package withoutHeader() {
            header = false;
            return this;
        }

        byte[] zip() throws IOException {
            String manifest = "<DataManagementPackageManifest xmlns=\"" + NS + "\" xmlns:i=\"http://www.w3.org/2001/"
                    + "XMLSchema-instance\"><DefinitionGroupName>Master data</DefinitionGroupName><Description>test"
                    + "</Description><PackageEntityList>" + String.join("", entities) + "</PackageEntityList>"
                    + "</DataManagementPackageManifest>";
            String packageHeader = "<DataManagementPackageHeader xmlns=\"" + NS + "\" xmlns:i=\"http://www.w3.org/"
                    + "2001/XMLSchema-instance\"><Description>Master data</Description><ManifestType>Microsoft.Dynamics"
                    + ".AX.Framework.Tools.DataManagement.Serialization.DataManagementPackageManifest</ManifestType>"
                    + "<PackageType>DefinitionGroup</PackageType><PackageVersion>2</PackageVersion>"
                    + "</DataManagementPackageHeader>";
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                put(zip, "Manifest.xml", utf16WithBom(manifest));
                if (header) {
                    put(zip, "PackageHeader.xml", utf16WithBom(packageHeader));
                }
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    put(zip, f.getKey(), f.getValue());
                }
            }
            return bytes.toByteArray();
        }

        private static byte[] utf16WithBom(String xml) {
            byte[] text = xml.getBytes(StandardCharsets.UTF_16LE);
            byte[] result = new byte[text.length + 2];
            result[0] = (byte) 0xFF;
            result[1] = (byte) 0xFE;
            System.arraycopy(text, 0, result, 2, text.length);
            return result;
        }

        private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
    }
}
