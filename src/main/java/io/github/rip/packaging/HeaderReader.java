package io.github.rip.packaging;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Reads the column names of a CSV header row or of an XML file's first record, without reading further. */
final class HeaderReader {

    /** What the header told us: columns in file order, the source format it implies, the file's text encoding. */
    record Header(List<String> columns, String impliedFormat, Charset charset, String sheetName) {
    }

    static final int MAX_HEADER_CHARS = 1 << 20;
    private static final char[] DELIMITERS = {',', ';', '\t'};

    private HeaderReader() {
    }

    /** CSV header row: delimiter , ; or tab detected, quotes handled, UTF-8/UTF-16 BOM honoured. */
    static Header csv(Path file) throws IOException, PackageBuildException {
        Charset charset = sniff(file);
        String row;
        try (InputStream in = Files.newInputStream(file)) {
            row = firstRecord(reader(in, charset, true), file);
        } catch (CharacterCodingException undecodable) {
            if (!charset.equals(StandardCharsets.UTF_8)) {
                throw new PackageBuildException("File '" + file.getFileName() + "' starts like " + charset.name()
                        + " text but its header row is not valid " + charset.name());
            }
            // a header row that is not UTF-8 is most likely Windows-1252 from Excel's "CSV" save
            charset = Charset.forName("windows-1252");
            try (InputStream in = Files.newInputStream(file)) {
                row = firstRecord(reader(in, charset, false), file);
            }
        }
        return new Header(check(file, split(row, delimiter(row))), "CSV-Unicode", charset, "");
    }

    /** XML: element names (XML-Element) or attribute names (XML-Attribute) of the first record under the root. */
    static Header xml(Path file, String explicitFormat) throws IOException, PackageBuildException {
        boolean attributesWanted = explicitFormat != null
                && explicitFormat.toLowerCase(Locale.ROOT).contains("attribute");
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false); // no XXE from a batch file
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = Files.newInputStream(file)) {
            XmlEncoding.Decoded decoded = XmlEncoding.open(in);
            XMLStreamReader r = f.createXMLStreamReader(decoded.reader());
            try {
                int depth = 0;
                Set<String> attributes = new LinkedHashSet<>();
                Set<String> elements = new LinkedHashSet<>();
                while (r.hasNext()) {
                    int ev = r.next();
                    if (ev == XMLStreamReader.START_ELEMENT) {
                        depth++;
                        if (depth == 2) {
                            for (int i = 0; i < r.getAttributeCount(); i++) {
                                String ns = r.getAttributeNamespace(i);
                                if (ns == null || ns.isEmpty()) { // xsi:nil and friends are not columns
                                    attributes.add(r.getAttributeLocalName(i));
                                }
                            }
                        } else if (depth == 3) {
                            elements.add(r.getLocalName());
                        }
                    } else if (ev == XMLStreamReader.END_ELEMENT) {
                        if (--depth == 1) {
                            boolean useAttributes = attributesWanted || elements.isEmpty() && !attributes.isEmpty();
                            String format = explicitFormat != null ? explicitFormat
                                    : useAttributes ? "XML-Attribute" : "XML-Element";
                            List<String> cols = new ArrayList<>(useAttributes ? attributes : elements);
                            return new Header(check(file, cols), format, decoded.charset(), "");
                        }
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new PackageBuildException("File '" + file.getFileName() + "' is not well-formed XML: "
                    + e.getMessage());
        } catch (CharacterCodingException e) {
            throw new PackageBuildException("File '" + file.getFileName() + "' is not valid text in its encoding");
        }
        throw new PackageBuildException("File '" + file.getFileName() + "' has no record element under its root,"
                + " so its fields cannot be mapped");
    }

    /** Empty or repeated column names would give D365 an ambiguous field map: refuse them. */
    static List<String> check(Path file, List<String> columns) throws PackageBuildException {
        Set<String> seen = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            if (c.isBlank()) {
                errors.add("File '" + file.getFileName() + "': column " + (i + 1) + " of the header is empty");
            } else if (!seen.add(c.toUpperCase(Locale.ROOT))) {
                errors.add("File '" + file.getFileName() + "': column '" + c + "' appears twice in the header");
            }
        }
        if (!errors.isEmpty()) {
            throw new PackageBuildException(errors);
        }
        return List.copyOf(columns);
    }

    /** BOM first; without one, a zero second byte means UTF-16LE (and a zero first byte UTF-16BE); else UTF-8. */
    private static Charset sniff(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(3);
        }
        int b0 = head.length > 0 ? head[0] & 0xFF : -1;
        int b1 = head.length > 1 ? head[1] & 0xFF : -1;
        if (b0 == 0xFF && b1 == 0xFE || b0 > 0 && b1 == 0) {
            return StandardCharsets.UTF_16LE;
        }
        if (b0 == 0xFE && b1 == 0xFF || b0 == 0 && b1 > 0) {
            return StandardCharsets.UTF_16BE;
        }
        return StandardCharsets.UTF_8;
    }

    private static Reader reader(InputStream raw, Charset charset, boolean strict) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(4);
        byte[] bom = in.readNBytes(3);
        in.reset();
        int skip = bom.length >= 2 && ((bom[0] & 0xFF) == 0xFF && (bom[1] & 0xFF) == 0xFE
                || (bom[0] & 0xFF) == 0xFE && (bom[1] & 0xFF) == 0xFF) ? 2
                : bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF
                ? 3 : 0;
        in.skipNBytes(skip);
        CodingErrorAction action = strict ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        return new InputStreamReader(in, charset.newDecoder().onMalformedInput(action)
                .onUnmappableCharacter(action));
    }

    /** The first record's raw text: up to the first line break outside quotes. */
    private static String firstRecord(Reader r, Path file) throws IOException, PackageBuildException {
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        int c;
        while ((c = r.read()) >= 0) {
            if (c == '"') {
                quoted = !quoted; // "" inside quotes toggles twice: still quoted
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            }
            sb.append((char) c);
            if (sb.length() > MAX_HEADER_CHARS) {
                throw new PackageBuildException("File '" + file.getFileName() + "': the header row is longer than "
                        + MAX_HEADER_CHARS + " characters" + (quoted ? " (a quote is never closed)" : ""));
            }
        }
        if (quoted) {
            throw new PackageBuildException("File '" + file.getFileName() + "': a quote in the header row is never"
                    + " closed");
        }
        if (sb.toString().isBlank()) {
            throw new PackageBuildException("File '" + file.getFileName() + "' is empty; its first line must be the"
                    + " header row with the column names");
        }
        return sb.toString();
    }

    /** The delimiter occurring most often outside quotes; a tie or none means ','. */
    static char delimiter(String row) {
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            for (int d = 0; d < DELIMITERS.length && !quoted; d++) {
                counts[d] += c == DELIMITERS[d] ? 1 : 0;
            }
        }
        int best = 0;
        for (int d = 1; d < DELIMITERS.length; d++) {
            best = counts[d] > counts[best] ? d : best;
        }
        return DELIMITERS[best];
    }

    /** RFC 4180 fields: quotes around a field are removed and "" inside becomes ". */
    static List<String> split(String row, char delimiter) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
