package io.github.rip.importing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Refuses XML that declares a DOCTYPE before it reaches an XSLT: no DTD, no entity, so no XXE or entity expansion,
 * and the user learns why instead of receiving silently emptied fields. Reads only the prolog.
 */
final class XmlInputGuard {

    private XmlInputGuard() {
    }

    static void requireNoDoctype(Path file) {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader reader = factory.createXMLStreamReader(in);
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.DTD) {
                        throw new ImportRejectedException("The XML declares a DOCTYPE (a DTD). DTDs and entities are "
                                + "refused before the XSLT for safety (they can read local files or expand without "
                                + "limit). Remove the <!DOCTYPE ...> declaration.");
                    }
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        return;
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new ImportRejectedException("The file is not well-formed XML: " + e.getMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
