package io.github.rip.packaging;

import static io.github.rip.packaging.Zips.entries;
import static io.github.rip.packaging.Zips.header;
import static io.github.rip.packaging.Zips.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PackageReader on hostile and damaged zips: zip slip, zip bombs, forged headers, XXE, corruption. */
class PackageReaderSafetyTest {

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
    void zipSlipEntriesAreReported() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", manifest("Customers V3", "Customers.csv"),
                "PackageHeader.xml", header(), "Customers.csv", "A", "../evil.csv", "x",
                "..\\..\\evil.bat", "x", "/etc/cron.d/evil", "x", "C:/Windows/evil.dll", "x"));
        assertProblem(c, "Entry '../evil.csv' escapes the package folder");
        assertProblem(c, "Entry '..\\..\\evil.bat' escapes the package folder");
        assertProblem(c, "Entry '/etc/cron.d/evil' escapes the package folder");
        assertProblem(c, "Entry 'C:/Windows/evil.dll' escapes the package folder");
        assertEquals(4, c.problems().size(), c.problems().toString());
    }

    @Test
    void inputFilePathEscapingIsReported() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", manifest("Customers V3", "..\\Customers.csv"),
                "PackageHeader.xml", header(), "Customers.csv", "A"));
        assertProblem(c, "InputFilePath '..\\Customers.csv' for entity 'Customers V3', which escapes the package");
    }

    @Test
    void zipBombIsDetectedByInflatedBytes() throws IOException {
        Path p = zip("Manifest.xml", manifest("Customers V3", "Customers.csv"), "PackageHeader.xml", header(),
                "Customers.csv", Zips.zeros(5 << 20));
        assertTrue(Files.size(p) < 64 * 1024, "five MiB of zeros compress to a few KiB");
        PackageContents c = PackageReader.read(p, new PackageLimits(100, 1L << 30, 100, 1 << 20));
        assertProblem(c, "Entry 'Customers.csv' expands beyond the allowed size/ratio (");
        assertEquals(1, c.problems().size(), c.problems().toString());
        // the same file is fine under the defaults: the ratio is only checked above 16 MiB
        assertTrue(PackageReader.read(p).isValid());
    }

    @Test
    void totalSizeLimit() throws IOException {
        Path p = zip("Manifest.xml", manifest("Customers V3", "Customers.csv"), "PackageHeader.xml", header(),
                "Customers.csv", Zips.zeros(700_000), "Other.csv", Zips.zeros(700_000));
        PackageContents c = PackageReader.read(p, new PackageLimits(100, 1 << 20, 1000, 1 << 30));
        assertProblem(c, "Entry 'Other.csv' expands beyond the allowed size/ratio (the package would exceed 1 MiB");
    }

    @Test
    void lyingSizeHeaderIsNotTrusted() throws IOException {
        Path p = zip("Manifest.xml", manifest("Customers V3", "Customers.csv"), "PackageHeader.xml", header(),
                "Customers.csv", Zips.zeros(3 << 20));
        patchCentralDirectorySize(p, "Customers.csv", 1000);
        PackageContents c = PackageReader.read(p);
        assertProblem(c, "Entry 'Customers.csv' declares 1000 bytes but holds 3145728");
    }

    @Test
    void corruptEntryIsReported() throws IOException {
        Path p = Zips.writeStored(dir.resolve("crc.zip"), "Customers.csv", Zips.utf8("ACCOUNT\r\nC0001\r\n"));
        byte[] bytes = Files.readAllBytes(p);
        int at = indexOf(bytes, Zips.utf8("C0001"));
        bytes[at] = 'X';
        Files.write(p, bytes);
        assertProblem(PackageReader.read(p), "Entry 'Customers.csv' is corrupt (CRC mismatch)");
    }

    @Test
    void tooManyEntries() throws IOException {
        PackageContents c = PackageReader.read(zip("a", "1", "b", "2", "c", "3"), new PackageLimits(2, 1 << 20, 10, 0));
        assertEquals(List.of("Package has 3 entries, more than the allowed 2"), c.problems());
    }

    @Test
    void duplicateNamesIgnoringCase() throws IOException {
        PackageContents c = PackageReader.read(zip("Manifest.xml", manifest("Customers V3", "Customers.csv"),
                "PackageHeader.xml", header(), "Customers.csv", "A", "CUSTOMERS.csv", "B"));
        assertProblem(c, "Entry 'CUSTOMERS.csv' appears more than once (names are compared ignoring case)");
    }

    @Test
    void externalEntitiesAreRefused() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String m = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY s SYSTEM \"" + secret.toUri() + "\">]>"
                + "<DataManagementPackageManifest><Description>&s;</Description></DataManagementPackageManifest>";
        PackageContents c = PackageReader.read(zip("Manifest.xml", m, "PackageHeader.xml", header()));
        assertNull(c.manifest());
        assertProblem(c, "Manifest.xml is not well-formed XML: ");
        assertFalse(c.problems().toString().contains("TOP-SECRET"));
    }

    @Test
    void notAZip() throws IOException {
        Path p = Files.writeString(dir.resolve("package.zip"), "ACCOUNT,NAME\r\n");
        PackageContents c = PackageReader.read(p);
        assertNull(c.manifest());
        assertProblem(c, "File 'package.zip' is not a readable zip archive");
        assertThrows(NoSuchFileException.class, () -> PackageReader.read(dir.resolve("nope.zip")));
    }

    @Test
    void unsupportedCompressionMethod() throws IOException {
        Path p = zip("Manifest.xml", manifest("Customers V3", "Customers.csv"), "PackageHeader.xml", header(),
                "Customers.csv", "ACCOUNT");
        patchCentralDirectory(p, "Customers.csv", 10, 2, 9);
        PackageContents c = PackageReader.read(p);
        assertNull(c.manifest());
        assertProblem(c, "(bad compression method: 9); an entry is compressed with a method other than Deflate"
                + " (Deflate64");
    }

    /** Rewrites the uncompressed size of one entry in the central directory, as a forged bomb would. */

    private static void patchCentralDirectorySize(Path zip, String name, int size) throws IOException {
        patchCentralDirectory(zip, name, 24, 4, size);
    }

    /** Overwrites a little-endian field of one entry's central directory record. */

    private static void patchCentralDirectory(Path zip, String name, int offset, int length, int value)
            throws IOException {
        byte[] b = Files.readAllBytes(zip);
        byte[] sig = {0x50, 0x4b, 0x01, 0x02};
        for (int i = 0; i < b.length - 46; i++) {
            if (b[i] == sig[0] && b[i + 1] == sig[1] && b[i + 2] == sig[2] && b[i + 3] == sig[3]) {
                int nameLen = (b[i + 28] & 0xFF) | (b[i + 29] & 0xFF) << 8;
                if (new String(b, i + 46, nameLen, StandardCharsets.UTF_8).equals(name)) {
                    for (int k = 0; k < length; k++) {
                        b[i + offset + k] = (byte) (value >>> (8 * k));
                    }
                    Files.write(zip, b);
                    return;
                }
            }
        }
        throw new IllegalStateException("no central directory record for " + name);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }
}
