package io.github.rip.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one-entity-per-line spec a job configures, and its glob matching. */
class EntitySpecTest {

    @Test
    void parsesLinesCommentsAndOptionalFormat() {
        List<EntitySpec> specs = EntitySpec.parseAll("# customers first\r\n\r\n"
                + "  Customer groups | customer-groups*.csv | 1.1.1\r\n"
                + "   # indented comment\n"
                + "Customers V3|Customers_*.csv|1.2.10| CSV \n");
        assertEquals(List.of(new EntitySpec("Customer groups", "customer-groups*.csv", 1, 1, 1, null),
                new EntitySpec("Customers V3", "Customers_*.csv", 1, 2, 10, "CSV")), specs);
        assertEquals(null, EntitySpec.parseAll("A | a | 1.1.1 |   ").get(0).sourceFormat());
    }

    @Test
    void errorsNameTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EntitySpec.parseAll(
                "# header\nCustomers | *.csv | 1.1\n\nVendors | *.txt\nItems | *.xml | 0.1.1\n"
                        + "Vendors V2 | v.csv | 1.1.2\nA | b | 1.1.1 | X | Y\n | x.csv | 1.1.1\nG | [abc | 1.1.1\n"
                        + "VENDORS v2 | w.csv | 1.1.3"));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("Invalid entity spec:\n"), msg);
        assertTrue(msg.contains("Line 2: '1.1' for entity 'Customers' is not unit.level.sequence, e.g. 1.1.1"), msg);
        assertTrue(msg.contains("Line 4: expected 'Entity label | file glob | unit.level.sequence [| source format]'"
                + " but got 'Vendors | *.txt'"), msg);
        assertTrue(msg.contains("Line 5: Entity 'Items': unit, level and sequence must be 1 or more, not 0.1.1"), msg);
        assertTrue(msg.contains("Line 10: entity 'VENDORS v2' is already on line 6; a package holds each entity once"),
                msg);
        assertFalse(msg.contains("Line 6"), msg);
        assertTrue(msg.contains("Line 7: expected"), msg);
        assertTrue(msg.contains("Line 8: the entity label is empty"), msg);
        assertTrue(msg.contains("Line 9: Unclosed '[' in file glob '[abc'"), msg);
    }

    @Test
    void emptySpecAndPathGlobsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> EntitySpec.parseAll("# nothing\n\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EntitySpec.parseAll("A | in/*.csv | 1.1.1"));
        assertTrue(e.getMessage().contains("Line 1: The file glob 'in/*.csv' of entity 'A' contains a path"
                + " separator"), e.getMessage());
    }

    @Test
    void globsIgnoreCase() {
        EntitySpec s = new EntitySpec("X", "Cust{omers,Groups}_20??-*.[cC]sv", 1, 1, 1, null);
        assertTrue(s.matches("customers_2024-05.CSV"));
        assertTrue(s.matches("CUSTGROUPS_2024-x.csv"));
        assertFalse(s.matches("customers_24-05.csv"));
        assertTrue(new EntitySpec("X", "a+b (1).csv", 1, 1, 1, null).matches("A+B (1).csv"));
        assertTrue(new EntitySpec("X", "[!x]&&.csv", 1, 1, 1, null).matches("a&&.csv"));
        assertFalse(new EntitySpec("X", "[!x]*", 1, 1, 1, null).matches("x.csv"));
    }
}
