package io.github.rip.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PackageBuilder refusing batches it cannot package, with messages naming the files and specs. */
class PackageBuilderErrorsTest {

    @TempDir
    Path batch;
    @TempDir
    Path out;

    @BeforeEach
    void batchOfThree() throws IOException {
        Files.writeString(batch.resolve("customer-groups_2024.csv"), "CUSTOMERGROUPID\r\n10\r\n");
        Files.writeString(batch.resolve("Customers.CSV"), "CUSTOMERACCOUNT\r\nC0001\r\n");
        Files.writeString(batch.resolve("orders 2024-05.xml"), "<Document><SO><ID>1</ID></SO></Document>");
    }

    private static List<EntitySpec> threeSpecs() {
        return EntitySpec.parseAll("""
                Sales order headers V2   | orders*.xml       | 2.1.1
                Customers V3             | customers.csv     | 1.2.1 | CSV-Unicode
                Customer groups          | customer-group*   | 1.1.1
                """);
    }

    @Test
    void unmatchedFile() throws IOException {
        Files.writeString(batch.resolve("vendors.csv"), "VENDORACCOUNT\r\n");
        PackageBuildException e = assertThrows(PackageBuildException.class, () -> PackageBuilder.build(batch,
                threeSpecs(), out.resolve("p.zip"), PackageOptions.defaults("X")));
        assertEquals(List.of("File 'vendors.csv' matches no entity spec (globs: orders*.xml, customers.csv,"
                + " customer-group*)"), e.problems());
        assertFalse(Files.exists(out.resolve("p.zip")));
    }

    @Test
    void specWithoutFile() throws IOException {
        Files.delete(batch.resolve("Customers.CSV"));
        PackageBuildException e = assertThrows(PackageBuildException.class, () -> PackageBuilder.build(batch,
                threeSpecs(), out.resolve("p.zip"), PackageOptions.defaults("X")));
        assertEquals(List.of("Entity 'Customers V3' (glob 'customers.csv') has no file in the batch"), e.problems());
    }

    @Test
    void fileMatchedByTwoSpecsAndSpecMatchingTwoFiles() throws IOException {
        Files.writeString(batch.resolve("customer-groups_2025.csv"), "CUSTOMERGROUPID\r\n");
        List<EntitySpec> specs = EntitySpec.parseAll("Customer groups | customer-group* | 1.1.1\n"
                + "All CSV | *.csv | 1.1.2\nSales order headers V2 | *.xml | 2.1.1");
        PackageBuildException e = assertThrows(PackageBuildException.class, () -> PackageBuilder.build(batch,
                specs, out.resolve("p.zip"), PackageOptions.defaults("X")));
        assertTrue(e.problems().contains("File 'customer-groups_2024.csv' matches several entity specs: "
                + "'Customer groups' (customer-group*), 'All CSV' (*.csv); make the globs exclusive"), e.problems()
                .toString());
        assertTrue(e.problems().contains("Entity 'Customer groups' (glob 'customer-group*') matches 2 files: "
                + "customer-groups_2024.csv, customer-groups_2025.csv; a package takes one file per entity"),
                e.problems().toString());
        assertEquals(String.join("\n", e.problems()), e.getMessage());
    }

    @Test
    void badHeaders() throws IOException {
        Path bad = Files.createDirectory(batch.resolve("bad"));
        Files.writeString(bad.resolve("empty.csv"), "");
        Files.writeString(bad.resolve("dupes.csv"), "A,B,a\r\n");
        Files.writeString(bad.resolve("notes.txt"), "A\r\n");
        PackageBuildException e = assertThrows(PackageBuildException.class, () -> PackageBuilder.build(bad,
                EntitySpec.parseAll("E | empty.csv | 1.1.1\nD | dupes.csv | 1.1.2\nN | notes.txt | 1.1.3"),
                out.resolve("p.zip"), PackageOptions.defaults("X")));
        assertEquals(List.of(
                "File 'empty.csv' is empty; its first line must be the header row with the column names",
                "File 'dupes.csv': column 'a' appears twice in the header",
                "Cannot tell the source format of 'notes.txt' from its extension; add '| <source format>' (e.g."
                        + " CSV-Unicode) to the spec line of entity 'N'"), e.problems());
    }

    @Test
    void csvHeaderParsing() {
        assertEquals(';', HeaderReader.delimiter("A;B;\"C,D,E\""));
        assertEquals(',', HeaderReader.delimiter("ONLYONE"));
        assertEquals('\t', HeaderReader.delimiter("A\tB\tC"));
        assertEquals(List.of("A", "B \"x\"", ""), HeaderReader.split("A,\"B \"\"x\"\"\",", ','));
    }

    @Test
    void entryNameSanitising() {
        assertEquals("evil.csv", EntryNames.sanitize("..\\..\\evil.csv"));
        assertEquals("evil.csv", EntryNames.sanitize("/etc/evil.csv"));
        assertEquals("Cfoo.csv", EntryNames.sanitize("C:foo.csv"));
        assertEquals("_CON.csv", EntryNames.sanitize("CON.csv"));
        assertEquals("ab.csv", EntryNames.sanitize("a<b>\u0001.csv"));
        assertEquals("name", EntryNames.sanitize("name. . "));
        assertEquals("", EntryNames.sanitize(".."));
    }}
