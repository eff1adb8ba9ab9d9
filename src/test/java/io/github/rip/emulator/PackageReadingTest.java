package io.github.rip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's own package reading (PackageZip, PackageXml, PackageProcessor's checks), without a server. */
class PackageReadingTest {

    static final String NS = PackageXml.NAMESPACE;
    static final String HEADER = "<DataManagementPackageHeader xmlns=\"" + NS + "\"><PackageVersion>2</PackageVersion>"
            + "</DataManagementPackageHeader>";
    static final String CSV = "CUSTOMERGROUPID,DESCRIPTION\r\n10,Retail\r\n20,Export\r\n";

    @TempDir
    Path dir;
    final PackageProcessor processor = new PackageProcessor(EmulatorConfig.builder()
            .entitySchema("Customer groups", List.of("CUSTOMERGROUPID", "DESCRIPTION")).build(), Clock.systemUTC());

    @Test
    void utf8WithDeclarationAnyElementOrderAndAnyCaseOfEntryNames() throws IOException {
        String manifest = "<?xml version=\"1.0\" encoding=\"utf-8\"?><DataManagementPackageManifest xmlns=\"" + NS
                + "\"><PackageEntityList><DataManagementPackageEntityData><SourceFormat>CSV</SourceFormat>"
                + "<InputFilePath>Groups.CSV</InputFilePath>" + maps("CUSTOMERGROUPID", "DESCRIPTION")
                + "<EntityName>Customer groups</EntityName></DataManagementPackageEntityData></PackageEntityList>"
                + "<DefinitionGroupName>Groups</DefinitionGroupName></DataManagementPackageManifest>";

        String log = process(zip(Map.of("manifest.xml", utf8(manifest), "PACKAGEHEADER.XML", utf8(HEADER),
                "groups.csv", utf8(CSV))), DataJobState.PROCESSED);

        assertTrue(log.contains("2 records read, 2 imported"), log);
    }

    @Test
    void utf16WithAndWithoutByteOrderMark() throws IOException {
        for (boolean bom : new boolean[] {true, false}) {
            byte[] manifest = utf16(manifest("Customer groups", "groups.csv", "CUSTOMERGROUPID"), bom);
            process(zip(Map.of("Manifest.xml", manifest, "PackageHeader.xml", utf16(HEADER, bom), "groups.csv",
                    utf8(CSV))), DataJobState.PROCESSED);
        }
    }

    @Test
    void aManifestOutsideD365sNamespaceIsRefused() throws IOException {
        String manifest = manifest("Customer groups", "groups.csv", "CUSTOMERGROUPID").replace(" xmlns=\"" + NS + "\"",
                "");

        String log = process(zip(Map.of("Manifest.xml", utf8(manifest), "PackageHeader.xml", utf8(HEADER),
                "groups.csv", utf8(CSV))), DataJobState.PRE_PROCESS_ERROR);

        assertTrue(log.contains("Manifest.xml has root element <DataManagementPackageManifest> in no namespace"), log);
    }

    @Test
    void entriesThatWouldLandOutsideThePackageFolderOrTwiceInItAreRefused() throws IOException {
        Map<String, byte[]> entries = complete();
        entries.put("../evil.csv", utf8(CSV));
        entries.put("GROUPS.csv", utf8(CSV));

        String log = process(zip(entries), DataJobState.PRE_PROCESS_ERROR);

        assertTrue(log.contains("Entry '../evil.csv' would be unpacked outside the package folder."), log);
        assertTrue(log.contains("Entry 'GROUPS.csv' appears more than once"), log);
    }

    @Test
    void anEntityFileInflatingLikeAZipBombIsRejectedWhileItIsRead() throws IOException {
        Map<String, byte[]> entries = complete();
        byte[] bomb = new byte[40 << 20];
        System.arraycopy(utf8(CSV), 0, bomb, 0, CSV.length());
        entries.put("groups.csv", bomb);

        String log = process(zip(entries), DataJobState.PRE_PROCESS_ERROR);

        assertTrue(log.contains("the package looks like a zip bomb"), log);
    }

    @Test
    void aZippedFolderGetsAHintAndANonZipSaysSo() throws IOException {
        String nested = process(zip(Map.of("export/Manifest.xml", utf8(HEADER))), DataJobState.PRE_PROCESS_ERROR);
        Path text = Files.writeString(dir.resolve("text.zip"), CSV);
        String notAZip = process(text, DataJobState.PRE_PROCESS_ERROR);

        assertTrue(nested.contains("Package is missing Manifest.xml (found 'export/Manifest.xml'"), nested);
        assertTrue(notAZip.contains("The package is not a readable zip archive"), notAZip);
    }

    @Test
    void aDoctypeIsRefusedAndEveryMissingPartIsNamed() throws IOException {
        String doctype = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + manifest("Customer groups",
                "groups.csv", "CUSTOMERGROUPID");
        String incomplete = "<DataManagementPackageManifest xmlns=\"" + NS + "\"><PackageEntityList>"
                + "<DataManagementPackageEntityData><EntityName>Customer groups</EntityName>"
                + "<ExecutionUnit>one</ExecutionUnit></DataManagementPackageEntityData></PackageEntityList>"
                + "</DataManagementPackageManifest>";

        String refused = process(zip(Map.of("Manifest.xml", utf8(doctype), "PackageHeader.xml", utf8(HEADER))),
                DataJobState.PRE_PROCESS_ERROR);
        String named = process(zip(Map.of("Manifest.xml", utf8(incomplete))), DataJobState.PRE_PROCESS_ERROR);

        assertTrue(refused.contains("Manifest.xml is not well-formed XML") && refused.contains("DOCTYPE"), refused);
        assertTrue(named.contains("Package is missing PackageHeader.xml."), named);
        assertTrue(named.contains("ExecutionUnit 'one', not a whole number"), named);
        assertTrue(named.contains("Entity 'Customer groups' in Manifest.xml has no SourceFormat."), named);
        assertTrue(named.contains("Entity 'Customer groups' in Manifest.xml has no InputFilePath."), named);
    }

    @Test
    void withoutEntityMapListD365ImportsNothingAndSaysNothing() throws IOException {
        Map<String, byte[]> entries = complete();
        entries.put("Manifest.xml", utf8(manifest("Customer groups", "groups.csv")));

        String log = process(zip(entries), DataJobState.PROCESSED);

        assertTrue(log.contains("has no EntityMapList") && log.contains("0 records read"), log);
    }

    private String process(Path zip, DataJobState expected) throws IOException {
        StringBuilder log = new StringBuilder();
        PackageProcessor.Result result = processor.process(zip, "DAT", log);
        assertEquals(expected, result.state(), log.toString());
        return log.toString();
    }

    private static Map<String, byte[]> complete() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("Manifest.xml", utf8(manifest("Customer groups", "groups.csv", "CUSTOMERGROUPID")));
        entries.put("PackageHeader.xml", utf8(HEADER));
        entries.put("groups.csv", utf8(CSV));
        return entries;
    }

    static String manifest(String entity, String file, String... columns) {
        return "<DataManagementPackageManifest xmlns=\"" + NS + "\" xmlns:i=\"" + PackageXml.XSI + "\">"
                + "<DefinitionGroupName>Test</DefinitionGroupName><PackageEntityList>"
                + "<DataManagementPackageEntityData>" + (columns.length == 0 ? "" : maps(columns)) + "<EntityName>"
                + entity + "</EntityName><ExecutionUnit>1</ExecutionUnit><InputFilePath>" + file + "</InputFilePath>"
                + "<SourceFormat>CSV-Unicode</SourceFormat></DataManagementPackageEntityData></PackageEntityList>"
                + "</DataManagementPackageManifest>";
    }

    private static String maps(String... columns) {
        StringBuilder maps = new StringBuilder("<EntityMapList>");
        for (String column : columns) {
            maps.append("<EntityMap><EntityField>").append(column).append("</EntityField><XMLField>").append(column)
                    .append("</XMLField></EntityMap>");
        }
        return maps.append("</EntityMapList>").toString();
    }

    private Path zip(Map<String, byte[]> entries) throws IOException {
        Path zip = Files.createTempFile(dir, "package", ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
        }
        return zip;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] utf16(String text, boolean bom) {
        return ((bom ? "\uFEFF" : "") + text).getBytes(StandardCharsets.UTF_16LE);
    }
}
