package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a DMF XML entity file: a {@code <Document>} root with one element per record; a record's fields are its
 * attributes (XML-Attribute style) and/or child elements (XML-Element style). Streaming (StAX), DTDs and external
 * entities off. The encoding comes from the BOM / XML declaration.
 */
final class XmlRecordSource implements RecordSource {

    private static final XMLInputFactory FACTORY = createFactory();

    private final InputStream in;
    private XMLStreamReader reader;
    private boolean started;
    private boolean finished;
    private long row;

    XmlRecordSource(InputStream in) {
        this.in = in;
    }

    private static XMLInputFactory createFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    /** XML has no header row: required columns are checked per record. */
    @Override
    public List<String> header() throws UnreadableFileException {
        start();
        return null;
    }

    private void start() throws UnreadableFileException {
        if (started) {
            return;
        }
        started = true;
        try {
            reader = FACTORY.createXMLStreamReader(in);
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (!reader.getLocalName().equalsIgnoreCase("Document")) {
                        throw new UnreadableFileException("The XML root element must be <Document>, found <"
                                + reader.getLocalName() + "> on line " + reader.getLocation().getLineNumber() + ".");
                    }
                    return;
                }
                if (event == XMLStreamConstants.DTD) {
                    throw new UnreadableFileException("The XML file has a DOCTYPE declaration, which is not allowed.");
                }
            }
            throw new UnreadableFileException("The XML file has no root element.");
        } catch (XMLStreamException e) {
            throw parseError(e);
        }
    }

    @Override
    public SourceRecord next() throws UnreadableFileException {
        start();
        if (finished) {
            return null;
        }
        try {
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    return readRecord();
                }
                if (event == XMLStreamConstants.END_ELEMENT) {
                    finished = true;
                    drainTrailingContent();
                    return null;
                }
            }
            throw new UnreadableFileException("The XML file ends before </Document>.");
        } catch (XMLStreamException e) {
            throw parseError(e);
        }
    }

    /** Reads the record element the reader is on, through its end tag. */
    private SourceRecord readRecord() throws XMLStreamException {
        long line = reader.getLocation().getLineNumber();
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            fields.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
        }
        int depth = 1;
        String field = null;
        StringBuilder text = new StringBuilder();
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth == 2) {
                    field = reader.getLocalName();
                    text.setLength(0);
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (depth == 2 && field != null) {
                    fields.putIfAbsent(field, text.toString());
                    field = null;
                }
                depth--;
            } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) && depth >= 2) {
                text.append(reader.getText());
            }
        }
        return new SourceRecord(++row, line, fields, null);
    }

    /** Lets the parser see everything after the root so trailing garbage is reported, as a real parser would. */
    private void drainTrailingContent() throws XMLStreamException {
        while (reader.hasNext()) {
            reader.next();
        }
    }

    private static UnreadableFileException parseError(XMLStreamException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        // StAX prefixes "ParseError at [row,col]:[r,c]\nMessage: ..."; keep the readable part.
        int at = message.indexOf("Message: ");
        String detail = at >= 0 ? message.substring(at + "Message: ".length()) : message;
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNumber() + ", column "
                + e.getLocation().getColumnNumber() + ")";
        return new UnreadableFileException("The XML file cannot be parsed" + where + ": " + detail.trim());
    }

    @Override
    public void close() throws IOException {
        try {
            if (reader != null) {
                reader.close();
            }
        } catch (XMLStreamException e) {
            // closing a broken reader: nothing to report
        }
        in.close();
    }
}
