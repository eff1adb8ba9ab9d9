package io.github.rip.packaging;

import static io.github.rip.packaging.Zips.entries;
import static io.github.rip.packaging.Zips.header;
import static io.github.rip.packaging.Zips.manifest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PackageReader on valid, D365-written, sloppy and incomplete packages. */
class PackageReaderTest {

    @TempDir
    Path dir;

    private Path zip(Object... nameThenContent) throws IOException {
        return Zips.write(dir.resolve("p" + System.nanoTime() + ".zip"), entries(nameThenContent));
    }

    private static void assertProblem(PackageContents c, String expectedPart) {
        assertTrue(c.problems().stream().anyMatch(p -> p.contains(expectedPart)),
                "expected a problem containing \"" + expectedPart + "\" but got " + c.problems());
    }

    @Test
    void readsValidPackage() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", manifest("Customers V3", "Customers.csv"),
                "PackageHeader.xml", header(), "Customers.csv", "ACCOUNT\r\nC1\r\n"));
        assertTrue(c.isValid(), c.problems().toString());
        assertTrue(c.hasPackageHeader());
        assertEquals(List.of("Manifest.xml", "PackageHeader.xml", "Customers.csv"), c.entryNames());
        PackageEntity e = c.manifest().entities().get(0);
        assertEquals("Customers V3", e.entityName());
        assertEquals(List.of("ACCOUNT"), e.fieldMap());
        assertEquals("1.1.1", e.position());
    }

    @Test
    void missingManifest() throws IOException {
        PackageContents c = PackageReader.read(zip("PackageHeader.xml", header(), "Customers.csv", "A\r\n"));
        assertFalse(c.isValid());
        assertNull(c.manifest());
        assertEquals(List.of("Package is missing Manifest.xml"), c.problems());
    }

    @Test
    void manifestInsideAFolderGetsAHint() throws IOException {
        PackageContents c = PackageReader.read(zip("Export/Manifest.xml", manifest("C", "C.csv"),
                "Export/PackageHeader.xml", header(), "Export/C.csv", "A"));
        assertProblem(c, "Package is missing Manifest.xml at the top level (found 'Export/Manifest.xml': zip the"
                + " folder's content, not the folder)");
    }

    @Test
    void missingHeader() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", manifest("Customers V3", "Customers.csv"),
                "Customers.csv", "ACCOUNT"));
        assertFalse(c.hasPackageHeader());
        assertNotNull(c.manifest());
        assertEquals(List.of("Package is missing PackageHeader.xml"), c.problems());
    }

    @Test
    void missingInputFileEntry() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", manifest("Customers V3", "Customers.csv"),
                "PackageHeader.xml", header(), "Vendors.csv", "A"));
        assertEquals(List.of("Manifest.xml names InputFilePath 'Customers.csv' for entity 'Customers V3' but the"
                + " zip has no such entry (entries: Manifest.xml, PackageHeader.xml, Vendors.csv)"), c.problems());
    }

    @Test
    void utf8ManifestOutOfOrderWithoutNamespace() throws IOException {
        String m = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<DataManagementPackageManifest>\n"
                + "  <PackageEntityList>\n    <DataManagementPackageEntityData>\n"
                + "      <SourceFormat>CSV</SourceFormat><SequenceInLevel>3</SequenceInLevel>\n"
                + "      <InputFilePath>Vendors ä.csv</InputFilePath><EntityName>Vendors V2</EntityName>\n"
                + "      <RunBusinessValidation>1</RunBusinessValidation><LevelInExecutionUnit>2</LevelInExecutionUnit>\n"
                + "      <EntityMapList><EntityMap><XMLField>VENDORACCOUNT</XMLField></EntityMap>\n"
                + "        <EntityMap><XMLField>NAME</XMLField></EntityMap></EntityMapList>\n"
                + "      <ExecutionUnit>4</ExecutionUnit><FailLevelOnError>true</FailLevelOnError>\n"
                + "    </DataManagementPackageEntityData>\n  </PackageEntityList>\n"
                + "  <Description>Vendors</Description><DefinitionGroupName>Vendor import</DefinitionGroupName>\n"
                + "</DataManagementPackageManifest>";
        PackageContents c = PackageReader.read(zip("manifest.xml", m, "PackageHeader.xml", header(),
                "Vendors ä.csv", "VENDORACCOUNT,NAME"));
        assertTrue(c.isValid(), c.problems().toString());
        assertEquals(new PackageManifest("Vendor import", "Vendors", List.of(new PackageEntity("Vendors V2",
                "Vendors ä.csv", "CSV", 4, 2, 3, List.of("VENDORACCOUNT", "NAME"), false, true, false, true))),
                c.manifest());
    }

    @Test
    void d365StyleUtf16Manifest() throws IOException {
        byte[] manifest = Zips.resource("d365-manifest-utf16.xml");
        assertEquals(0xFF, manifest[0] & 0xFF); // the fixture really is UTF-16LE with BOM
        PackageContents c = PackageReader.read(zip("Manifest.xml", manifest,
                "PackageHeader.xml", Zips.resource("d365-header-utf16.xml"),
                "Fixed asset major type.xlsx", new byte[] {1, 2, 3}));
        assertTrue(c.isValid(), c.problems().toString());
        PackageManifest m = c.manifest();
        assertEquals("Asset major types", m.definitionGroupName());
        assertEquals("Exported from USMF", m.description());
        // newer elements (DefaultRefreshType, SkipStaging, TargetEntity…) are ignored; the auto-default map has no
        // source column and so is not part of the field map
        assertEquals(new PackageEntity("Fixed asset major type", "Fixed asset major type.xlsx", "EXCEL", 1, 2, 3,
                List.of("MAJORTYPE", "DESCRIPTION"), false, true, true, false), m.entities().get(0));
        assertTrue(m.entity("FIXED ASSET MAJOR TYPE").isPresent());
    }

    @Test
    void manifestEncodingsAreDetectedFromBytes() throws IOException {
        String body = manifest("Customers V3", "Customers.csv");
        List<byte[]> variants = List.of(
                Zips.withBom(body, StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_16LE), // UTF-16 without BOM or declaration
                Zips.withBom(body, StandardCharsets.UTF_16BE),
                // .NET classic: declares utf-16 but the bytes are UTF-8
                Zips.utf8("<?xml version=\"1.0\" encoding=\"utf-16\"?>" + body),
                Zips.withBom("<?xml version=\"1.0\" encoding=\"utf-16\"?>" + body, StandardCharsets.UTF_16LE));
        for (byte[] v : variants) {
            PackageContents c = PackageReader.read(zip("Manifest.xml", v, "PackageHeader.xml", header(),
                    "Customers.csv", "ACCOUNT"));
            assertTrue(c.isValid(), c.problems().toString());
            assertEquals("Customers V3", c.manifest().entities().get(0).entityName());
        }
    }

    @Test
    void caseInsensitiveEntryNames() throws IOException {
        Path p = zip("MANIFEST.XML", manifest("Customers V3", "Customers.csv"), "packageheader.xml", header(),
                "CUSTOMERS.CSV", "ACCOUNT\r\nC1");
        PackageContents c = PackageReader.read(p);
        assertTrue(c.isValid(), c.problems().toString());
        try (InputStream in = c.openEntry(p, "customers.csv")) {
            assertArrayEquals(Zips.utf8("ACCOUNT\r\nC1"), in.readAllBytes());
        }
        assertThrows(FileNotFoundException.class, () -> c.openEntry(p, "Vendors.csv").close());
    }

    @Test
    void malformedManifest() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", "<DataManagementPackageManifest><Desc",
                "PackageHeader.xml", header()));
        assertNull(c.manifest());
        assertProblem(c, "Manifest.xml is not well-formed XML: ");
        assertProblem(c, "(line 1, column");
    }

    @Test
    void manifestWithoutEntities() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", "<DataManagementPackageManifest xmlns=\""
                + Zips.NS + "\"><DefinitionGroupName>X</DefinitionGroupName><PackageEntityList/>"
                + "</DataManagementPackageManifest>", "PackageHeader.xml", header()));
        assertEquals(List.of("Manifest.xml declares no entities"), c.problems());
    }

    @Test
    void entityDefectsAreNamed() throws IOException {
        String m = "<DataManagementPackageManifest><PackageEntityList><DataManagementPackageEntityData>"
                + "<EntityName>Customers V3</EntityName><InputFilePath>C.csv</InputFilePath>"
                + "<ExecutionUnit>one</ExecutionUnit><RunBusinessLogic>yes</RunBusinessLogic>"
                + "</DataManagementPackageEntityData></PackageEntityList></DataManagementPackageManifest>";
        PackageContents c = PackageReader.read(zip("Manifest.xml", m, "PackageHeader.xml", header(), "C.csv", "A"));
        assertProblem(c, "Manifest.xml entity 'Customers V3' has no SourceFormat");
        assertProblem(c, "Manifest.xml entity 'Customers V3' has no field map");
        assertProblem(c, "Manifest.xml entity 'Customers V3': ExecutionUnit 'one' is not a whole number");
        assertProblem(c, "Manifest.xml entity 'Customers V3': RunBusinessLogic 'yes' is not true or false");
    }

    @Test
    void wrongRootAndForeignNamespace() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", "<Manifest/>", "PackageHeader.xml",
                "<DataManagementPackageHeader xmlns=\"urn:other\"/>"));
        assertProblem(c, "Manifest.xml has root element <Manifest>, expected <DataManagementPackageManifest>");
        assertProblem(c, "PackageHeader.xml uses namespace 'urn:other'");
    }

    @Test
    void windowsExplorerCp437NamesAreRead() throws IOException {
        Path p = dir.resolve("explorer.zip");
        // Windows' "Send to compressed folder" stores non-ASCII names in the OEM code page without the UTF-8 flag
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(p), Charset.forName("IBM437"))) {
            for (Map.Entry<String, byte[]> e : entries("Manifest.xml", manifest("Kunden", "Kundengrüppen.csv"),
                    "PackageHeader.xml", header(), "Kundengrüppen.csv", "ACCOUNT").entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        PackageContents c = PackageReader.read(p);
        assertTrue(c.isValid(), c.problems().toString());
        assertTrue(c.entryNames().contains("Kundengrüppen.csv"), c.entryNames().toString());
        try (InputStream in = c.openEntry(p, "KUNDENGRÜPPEN.csv")) {
            assertArrayEquals(Zips.utf8("ACCOUNT"), in.readAllBytes());
        }
    }

    @Test
    void manifestThatIsNotUtf8() throws IOException {
        byte[] m = manifest("Kunden", "K.csv").replace("Kunden", "Kunden\u00e4").getBytes(StandardCharsets.ISO_8859_1);
        PackageContents c = PackageReader.read(zip("Manifest.xml", m, "PackageHeader.xml", header(), "K.csv", "A"));
        assertNull(c.manifest());
        assertProblem(c, "Manifest.xml is not valid UTF-8 text");
    }}
