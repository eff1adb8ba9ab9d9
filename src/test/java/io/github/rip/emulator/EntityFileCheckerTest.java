package io.github.rip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Parsing edge cases of the entity-file checks, without a server. */
class EntityFileCheckerTest {

    static final List<String> REQUIRED = List.of("ID", "NAME");

    @Test
    void utf8BomTabsAndCrLineEndingsAreRead() throws IOException {
        EntityFileChecker.Check check = csv(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "ID\tNAME\r1\tA\r2\tB\r");

        assertNull(check.unreadable());
        assertEquals(2, check.records());
    }

    @Test
    void blankLinesAndAHeaderOnlyFileAreFine() throws IOException {
        assertEquals(1, csv("\nID,NAME\n\n1,A\n\n").records());
        assertEquals(0, csv("ID,NAME\n").records());
    }

    @Test
    void doubledQuotesStayInsideTheField() throws IOException {
        EntityFileChecker.Check check = csv("ID,NAME\n1,\"He said \"\"hi\"\", then left\"\n");

        assertEquals(0, check.targetErrors() + check.stagingErrors());
    }

    @Test
    void anUnterminatedQuoteRejectsTheFile() throws IOException {
        EntityFileChecker.Check check = csv("ID,NAME\n1,\"open\n2,B\n");

        assertTrue(check.unreadable().contains("starts on line 2 is never closed"), check.unreadable());
    }

    @Test
    void textAfterAClosingQuoteRejectsTheFileNamingTheRecordsLine() throws IOException {
        EntityFileChecker.Check check = csv("ID,NAME\n1,A\n\n2,\"B\"x\n");

        assertTrue(check.unreadable().startsWith("The record that starts on line 4 cannot be read as CSV"),
                check.unreadable());
    }

    @Test
    void aQuoteAfterBlanksStillOpensAQuotedFieldAndLinesCountInsideQuotes() throws IOException {
        EntityFileChecker.Check check = csv("ID,NAME\n1, \"A,\nstill A\"\n2,\n");

        assertEquals(0, check.stagingErrors(), check.errors().toString());
        assertEquals("Row 2 (line 4): column NAME is empty.", check.errors().get(0).message());
    }

    @Test
    void invalidUtf8RejectsTheFile() throws IOException {
        EntityFileChecker.Check bad = EntityFileChecker.check(new ByteArrayInputStream(
                new byte[] {'I', 'D', ',', 'N', 'A', 'M', 'E', '\n', '1', ',', (byte) 0xC3, (byte) 0x28, '\n'}),
                RecurringJob.FileFormat.CSV, REQUIRED);
        assertTrue(bad.unreadable().contains("not valid UTF-8 text"), bad.unreadable());
    }

    @Test
    void headerNamesMatchIgnoringCaseAndBlanks() throws IOException {
        assertNull(csv(" id , Name \n1,A\n").unreadable());
    }

    @Test
    void theFormatIsDetectedWhenNotConfigured() throws IOException {
        EntityFileChecker.Check xml = EntityFileChecker.check(new ByteArrayInputStream(
                "  <Document><R ID=\"1\" NAME=\"a\"/></Document>".getBytes(StandardCharsets.UTF_8)), null, REQUIRED);

        assertNull(xml.unreadable());
        assertEquals(1, xml.records());
    }

    @Test
    void xmlWithADoctypeIsRejected() throws IOException {
        EntityFileChecker.Check check = EntityFileChecker.check(new ByteArrayInputStream(("<?xml version=\"1.0\"?>"
                + "<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document><R><ID>&x;</ID></R></Document>")
                .getBytes(StandardCharsets.UTF_8)), RecurringJob.FileFormat.XML, REQUIRED);

        assertTrue(check.unreadable() != null, "DOCTYPE must be refused");
    }

    @Test
    void aWrongRootElementIsReported() throws IOException {
        EntityFileChecker.Check check = EntityFileChecker.check(new ByteArrayInputStream(
                "<Records><R/></Records>".getBytes(StandardCharsets.UTF_8)), RecurringJob.FileFormat.XML, REQUIRED);

        assertTrue(check.unreadable().contains("must be <Document>, found <Records>"), check.unreadable());
    }

    private static EntityFileChecker.Check csv(String text) throws IOException {
        return csv(new byte[0], text);
    }

    private static EntityFileChecker.Check csv(byte[] prefix, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(body, 0, all, prefix.length, body.length);
        return EntityFileChecker.check(new ByteArrayInputStream(all), RecurringJob.FileFormat.CSV, REQUIRED);
    }
}
