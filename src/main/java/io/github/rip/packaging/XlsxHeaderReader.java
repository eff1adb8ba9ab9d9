package io.github.rip.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Reads the first sheet's name and first row of an .xlsx with StAX only (no POI), streaming each part. */
final class XlsxHeaderReader {

    private static final String REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private XlsxHeaderReader() {
    }

    /** A cell of the header row: column number (A = 1), and either its text or its shared-string index. */
    private record Cell(int column, String text, int sharedIndex) {
    }

    static HeaderReader.Header read(Path file) throws IOException, PackageBuildException {
        String fileName = file.getFileName().toString();
        long size = Files.size(file);
        try (ZipFile zip = new ZipFile(file.toFile(), StandardCharsets.UTF_8)) {
            ZipEntry workbook = require(zip, "xl/workbook.xml", fileName);
            String[] sheet = firstSheet(open(zip, workbook, size), fileName);
            ZipEntry rels = require(zip, "xl/_rels/workbook.xml.rels", fileName);
            String target = relationshipTarget(open(zip, rels, size), sheet[1], fileName);
            ZipEntry sheetEntry = require(zip, target, fileName);
            List<Cell> cells = firstRow(open(zip, sheetEntry, size));
            Map<Integer, String> shared = new HashMap<>();
            cells.stream().filter(c -> c.sharedIndex() >= 0).forEach(c -> shared.put(c.sharedIndex(), null));
            if (!shared.isEmpty()) {
                sharedStrings(open(zip, require(zip, "xl/sharedStrings.xml", fileName), size), shared);
            }
            List<String> columns = new ArrayList<>();
            int expected = cells.isEmpty() ? 1 : cells.get(0).column();
            for (Cell c : cells) {
                String text = c.sharedIndex() >= 0 ? shared.get(c.sharedIndex()) : c.text();
                if (c.column() != expected || text == null || text.isBlank()) {
                    throw new PackageBuildException("File '" + fileName + "': the header row of sheet '" + sheet[0]
                            + "' has an empty cell before column " + c.column() + "; D365 maps by header names");
                }
                columns.add(text);
                expected++;
            }
            if (columns.isEmpty()) {
                throw new PackageBuildException("File '" + fileName + "': sheet '" + sheet[0] + "' has no header row");
            }
            return new HeaderReader.Header(HeaderReader.check(file, columns), "EXCEL", StandardCharsets.UTF_8,
                    sheet[0]);
        } catch (ZipException e) {
            throw new PackageBuildException("File '" + fileName + "' is not a readable .xlsx workbook: "
                    + e.getMessage());
        } catch (XMLStreamException e) {
            throw new PackageBuildException("File '" + fileName + "' has a malformed workbook part: "
                    + e.getMessage());
        }
    }

    private static ZipEntry require(ZipFile zip, String name, String fileName) throws PackageBuildException {
        ZipEntry e = ZipAccess.find(zip, name);
        if (e == null) {
            throw new PackageBuildException("File '" + fileName + "' is not an Excel workbook (no " + name + ")");
        }
        return e;
    }

    /** Workbook parts are guarded like package entries: an .xlsx is a zip too. */
    private static XMLStreamReader open(ZipFile zip, ZipEntry e, long zipSize)
            throws IOException, XMLStreamException {
        InputStream in = new LimitedInputStream(zip.getInputStream(e), e.getName(),
                ZipAccess.compressedSize(e, zipSize), 0, PackageLimits.DEFAULTS);
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f.createXMLStreamReader(in);
    }

    /** {name, relationship id} of the first sheet, the one D365 reads when ExcelSheetName names it. */
    private static String[] firstSheet(XMLStreamReader r, String fileName)
            throws XMLStreamException, PackageBuildException {
        try {
            while (r.hasNext()) {
                if (r.next() == XMLStreamReader.START_ELEMENT && r.getLocalName().equals("sheet")) {
                    return new String[] {r.getAttributeValue(null, "name"), r.getAttributeValue(REL_NS, "id")};
                }
            }
        } finally {
            r.close();
        }
        throw new PackageBuildException("File '" + fileName + "' has no sheet");
    }

    private static String relationshipTarget(XMLStreamReader r, String id, String fileName)
            throws XMLStreamException, PackageBuildException {
        try {
            while (r.hasNext()) {
                if (r.next() == XMLStreamReader.START_ELEMENT && r.getLocalName().equals("Relationship")
                        && id != null && id.equals(r.getAttributeValue(null, "Id"))) {
                    String target = r.getAttributeValue(null, "Target");
                    return target.startsWith("/") ? target.substring(1) : "xl/" + target;
                }
            }
        } finally {
            r.close();
        }
        throw new PackageBuildException("File '" + fileName + "': the first sheet's part cannot be found");
    }

    /** Cells of the first {@code <row>} only; the rest of the sheet is never read. */
    private static List<Cell> firstRow(XMLStreamReader r) throws XMLStreamException {
        TreeMap<Integer, Cell> cells = new TreeMap<>();
        try {
            boolean inRow = false;
            int column = 0;
            String type = null;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamReader.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "row" -> inRow = true;
                        case "c" -> {
                            String ref = r.getAttributeValue(null, "r");
                            column = ref == null ? column + 1 : columnNumber(ref);
                            type = r.getAttributeValue(null, "t");
                        }
                        case "v" -> {
                            String v = r.getElementText().strip();
                            boolean shared = "s".equals(type) && v.matches("\\d{1,9}");
                            cells.put(column, new Cell(column, shared ? null : v,
                                    shared ? Integer.parseInt(v) : -1));
                        }
                        case "t" -> {
                            String prev = cells.containsKey(column) ? cells.get(column).text() : "";
                            cells.put(column, new Cell(column, prev + r.getElementText(), -1));
                        }
                        default -> {
                        }
                    }
                } else if (ev == XMLStreamReader.END_ELEMENT && inRow && r.getLocalName().equals("row")) {
                    break;
                }
            }
        } finally {
            r.close();
        }
        return new ArrayList<>(cells.values());
    }

    /** "AB12" → 28. */
    private static int columnNumber(String ref) {
        int n = 0;
        for (char c : ref.toCharArray()) {
            if (c >= 'A' && c <= 'Z') {
                n = n * 26 + (c - 'A' + 1);
            } else if (c >= 'a' && c <= 'z') {
                n = n * 26 + (c - 'a' + 1);
            } else {
                break;
            }
        }
        return n;
    }

    /** Fills the wanted indexes from sharedStrings.xml; phonetic runs ({@code rPh}) are not part of the text. */
    private static void sharedStrings(XMLStreamReader r, Map<Integer, String> wanted) throws XMLStreamException {
        int max = wanted.keySet().stream().max(Integer::compare).orElse(-1);
        try {
            int index = -1;
            int phonetic = 0;
            StringBuilder text = null;
            while (r.hasNext() && index <= max) {
                int ev = r.next();
                if (ev == XMLStreamReader.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "si" -> {
                            index++;
                            text = new StringBuilder();
                        }
                        case "rPh" -> phonetic++;
                        case "t" -> {
                            String t = r.getElementText();
                            if (phonetic == 0 && text != null) {
                                text.append(t);
                            }
                        }
                        default -> {
                        }
                    }
                } else if (ev == XMLStreamReader.END_ELEMENT) {
                    if (r.getLocalName().equals("rPh")) {
                        phonetic--;
                    } else if (r.getLocalName().equals("si") && wanted.containsKey(index)) {
                        wanted.put(index, text.toString());
                    }
                }
            }
        } finally {
            r.close();
        }
    }
}
