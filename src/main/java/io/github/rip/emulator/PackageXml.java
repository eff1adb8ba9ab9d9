package io.github.rip.emulator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads a received package's Manifest.xml and PackageHeader.xml as D365's DataContractSerializer would: the root
 * element must be the right one in D365's namespace, values are looked up by element name (any order), unknown
 * elements are ignored, {@code i:nil="true"} is no value. Encoding from the bytes as an XML parser finds it (BOM, then
 * the declaration, else UTF-8) plus UTF-16 without BOM, which .NET also recognises from its first zero byte. DTDs are
 * refused. Every defect becomes a problem sentence.
 */
final class PackageXml {

    static final String NAMESPACE = "http://schemas.microsoft.com/dynamics/2015/01/DataManagement";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String MANIFEST = "Manifest.xml";
    static final String HEADER = "PackageHeader.xml";

    /** What a readable Manifest.xml says. */
    record Manifest(String definitionGroupName, List<ManifestEntity> entities) {
    }

    private final List<String> problems;

    private PackageXml(List<String> problems) {
        this.problems = problems;
    }

    /** The manifest, or null when D365 could not read it (the reason added to problems). Closes {@code in}. */
    static Manifest readManifest(InputStream in, List<String> problems) {
        Element root = root(in, MANIFEST, "DataManagementPackageManifest", problems);
        return root == null ? null : new PackageXml(problems).manifest(root);
    }

    /** Adds a problem unless PackageHeader.xml is readable XML with the right root. Closes {@code in}. */
    static void checkHeader(InputStream in, List<String> problems) {
        root(in, HEADER, "DataManagementPackageHeader", problems);
    }

    private Manifest manifest(Element root) {
        List<ManifestEntity> entities = new ArrayList<>();
        Element list = child(root, "PackageEntityList");
        if (list != null) {
            for (Element entity : children(list, "DataManagementPackageEntityData")) {
                entities.add(entity(entity, entities.size() + 1));
            }
        }
        return new Manifest(text(root, "DefinitionGroupName"), entities);
    }

    private ManifestEntity entity(Element e, int index) {
        String name = text(e, "EntityName");
        String label = name == null ? "#" + index : "'" + name + "'";
        List<String> mapped = new ArrayList<>();
        Element maps = child(e, "EntityMapList");
        if (maps != null) {
            for (Element map : children(maps, "EntityMap")) {
                String column = text(map, "XMLField");
                if (column != null && !column.isBlank()) {
                    mapped.add(column.strip());
                }
            }
        }
        return new ManifestEntity(name, text(e, "InputFilePath"), text(e, "SourceFormat"),
                number(e, "ExecutionUnit", label), number(e, "LevelInExecutionUnit", label),
                number(e, "SequenceInLevel", label), mapped, flag(e, "FailExecutionUnitOnError", label),
                flag(e, "FailLevelOnError", label));
    }

    /** xs:int; absent counts as 1, the first position, so entities without one still sort. */
    private int number(Element e, String name, String label) {
        String value = text(e, name);
        try {
            return value == null ? 1 : Integer.parseInt(value.strip());
        } catch (NumberFormatException notANumber) {
            problems.add(MANIFEST + ": entity " + label + " has " + name + " '" + value + "', not a whole number.");
            return 1;
        }
    }

    /** xs:boolean; absent is false, DataContractSerializer's default. */
    private boolean flag(Element e, String name, String label) {
        String value = text(e, name);
        return switch (value == null ? "false" : value.strip()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> {
                problems.add(MANIFEST + ": entity " + label + " has " + name + " '" + value + "', not true or false.");
                yield false;
            }
        };
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child && NAMESPACE.equals(child.getNamespaceURI())
                    && name.equals(child.getLocalName())) {
                found.add(child);
            }
        }
        return found;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The element's text; null when absent, empty or nil. */
    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        if (element == null || "true".equals(element.getAttributeNS(XSI, "nil").strip())) {
            return null;
        }
        String text = element.getTextContent();
        return text.isEmpty() ? null : text;
    }

    private static Element root(InputStream in, String file, String rootName, List<String> problems) {
        Element root;
        try (in) {
            root = builder().parse(source(in)).getDocumentElement();
        } catch (SAXParseException e) {
            problems.add(file + " is not well-formed XML (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + "): " + e.getMessage());
            return null;
        } catch (SAXException | IOException e) {
            problems.add(file + " cannot be read: " + e.getMessage());
            return null;
        }
        if (!rootName.equals(root.getLocalName()) || !NAMESPACE.equals(root.getNamespaceURI())) {
            String namespace = root.getNamespaceURI() == null ? "no namespace" : "namespace " + root.getNamespaceURI();
            problems.add(file + " has root element <" + root.getLocalName() + "> in " + namespace + "; D365 expects <"
                    + rootName + "> in namespace " + NAMESPACE + ".");
            return null;
        }
        return root;
    }

    /** '<' followed by a zero byte is UTF-16 without BOM; everything else is the parser's to detect. */
    private static InputSource source(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        Charset utf16 = first == '<' && second == 0 ? StandardCharsets.UTF_16LE
                : first == 0 && second == '<' ? StandardCharsets.UTF_16BE : null;
        return utf16 == null ? new InputSource(in) : new InputSource(new InputStreamReader(in, utf16.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    /** The JDK's own parser, namespace-aware, with DTDs (and so external entities) refused. */
    private static DocumentBuilder builder() throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            }); // the default handler prints to stderr
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IOException("No usable XML parser: " + e.getMessage(), e);
        }
    }
}
