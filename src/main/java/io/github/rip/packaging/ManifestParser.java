package io.github.rip.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads Manifest.xml and PackageHeader.xml tolerantly: any element order, D365's namespace or none, unknown
 * elements ignored; every defect becomes a problem sentence instead of an exception.
 */
final class ManifestParser {

    static final String MANIFEST = "Manifest.xml";
    static final String HEADER = "PackageHeader.xml";

    private final String rootNamespace;
    private final List<String> problems;

    private ManifestParser(String rootNamespace, List<String> problems) {
        this.rootNamespace = rootNamespace;
        this.problems = problems;
    }

    /** The manifest, or null when it is not XML or not a manifest (the reason is added to problems). */
    static PackageManifest parseManifest(InputStream in, List<String> problems) throws IOException {
        Element root = parseRoot(in, MANIFEST, "DataManagementPackageManifest", problems);
        return root == null ? null : new ManifestParser(root.getNamespaceURI(), problems).manifest(root);
    }

    /** Checks that PackageHeader.xml is XML with the right root. */
    static void checkHeader(InputStream in, List<String> problems) throws IOException {
        parseRoot(in, HEADER, "DataManagementPackageHeader", problems);
    }

    private PackageManifest manifest(Element root) {
        List<PackageEntity> entities = new ArrayList<>();
        Element list = child(root, "PackageEntityList");
        List<Element> items = list == null ? List.of() : children(list, "DataManagementPackageEntityData");
        for (int i = 0; i < items.size(); i++) {
            entities.add(entity(items.get(i), i + 1));
        }
        if (entities.isEmpty()) {
            problems.add(MANIFEST + " declares no entities");
        }
        return new PackageManifest(value(root, "DefinitionGroupName"), value(root, "Description"), entities);
    }

    /** Missing unit/level/sequence read as 1 (the first position), so an emulator can still order the entities. */
    private PackageEntity entity(Element e, int index) {
        String name = value(e, "EntityName");
        String label = name == null || name.isBlank() ? "#" + index : "'" + name + "'";
        if (name == null || name.isBlank()) {
            problems.add(MANIFEST + " entity #" + index + " has no EntityName");
        }
        String input = value(e, "InputFilePath");
        if (input == null || input.isBlank()) {
            problems.add(MANIFEST + " entity " + label + " has no InputFilePath");
        }
        String format = value(e, "SourceFormat");
        if (format == null || format.isBlank()) {
            problems.add(MANIFEST + " entity " + label + " has no SourceFormat");
        }
        List<String> fields = new ArrayList<>();
        Element maps = child(e, "EntityMapList");
        if (maps != null) {
            for (Element map : children(maps, "EntityMap")) {
                String column = value(map, "XMLField");
                if (column != null && !column.isEmpty()) { // auto-default maps have no source column
                    fields.add(column);
                }
            }
        }
        if (fields.isEmpty()) {
            // docs/d365-api.md §3.4: without a field map D365 imports zero rows and reports no error
            problems.add(MANIFEST + " entity " + label + " has no field map (EntityMapList with XMLField columns);"
                    + " D365 would import no rows from it");
        }
        return new PackageEntity(name, input, format, integer(e, "ExecutionUnit", label),
                integer(e, "LevelInExecutionUnit", label), integer(e, "SequenceInLevel", label), fields,
                bool(e, "FailExecutionUnitOnError", label), bool(e, "FailLevelOnError", label),
                bool(e, "RunBusinessLogic", label), bool(e, "RunBusinessValidation", label));
    }

    private int integer(Element e, String name, String label) {
        String v = value(e, name);
        if (v == null || v.isBlank()) {
            return 1;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException nfe) {
            problems.add(MANIFEST + " entity " + label + ": " + name + " '" + v + "' is not a whole number");
            return 1;
        }
    }

    /** xs:boolean: true/false/1/0; absent means false, as DataContractSerializer's default. */
    private boolean bool(Element e, String name, String label) {
        String v = value(e, name);
        if (v == null || v.isBlank()) {
            return false;
        }
        switch (v.strip()) {
            case "true", "1" -> {
                return true;
            }
            case "false", "0" -> {
                return false;
            }
            default -> {
                problems.add(MANIFEST + " entity " + label + ": " + name + " '" + v + "' is not true or false");
                return false;
            }
        }
    }

    private boolean ours(Node n) {
        String ns = n.getNamespaceURI();
        return ns == null || ns.equals(ManifestWriter.NAMESPACE) || ns.equals(rootNamespace);
    }

    private List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el && localName.equals(el.getLocalName()) && ours(el)) {
                found.add(el);
            }
        }
        return found;
    }

    private Element child(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The element's text, null if absent or {@code i:nil="true"}. */
    private String value(Element parent, String localName) {
        Element el = child(parent, localName);
        if (el == null) {
            return null;
        }
        String nil = el.getAttributeNS(ManifestWriter.XSI, "nil").strip();
        return nil.equals("true") || nil.equals("1") ? null : el.getTextContent();
    }

    private static Element parseRoot(InputStream in, String file, String rootName, List<String> problems)
            throws IOException {
        Document doc;
        XmlEncoding.Decoded decoded = XmlEncoding.open(in);
        try {
            InputSource source = new InputSource(decoded.reader());
            doc = builder().parse(source);
        } catch (SAXParseException e) {
            problems.add(file + " is not well-formed XML: " + e.getMessage() + " (line " + e.getLineNumber()
                    + ", column " + e.getColumnNumber() + ")");
            return null;
        } catch (SAXException e) {
            problems.add(file + " is not well-formed XML: " + e.getMessage());
            return null;
        } catch (CharacterCodingException e) {
            problems.add(file + " is not valid " + decoded.charset().name() + " text (" + e + "); save it as"
                    + " UTF-16 or UTF-8");
            return null;
        }
        Element root = doc.getDocumentElement();
        String ns = root.getNamespaceURI();
        if (!rootName.equals(root.getLocalName())) {
            problems.add(file + " has root element <" + root.getLocalName() + ">, expected <" + rootName + ">");
            return null;
        }
        if (ns != null && !ns.equals(ManifestWriter.NAMESPACE)) {
            problems.add(file + " uses namespace '" + ns + "'; D365 expects '" + ManifestWriter.NAMESPACE + "'");
        }
        return root;
    }

    /** Namespace-aware and hardened: no DTDs (XXE), no external access, parser noise not printed to stderr. */
    private static DocumentBuilder builder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance(); // the JDK's, whatever the classpath
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException("No usable XML parser: " + e.getMessage(), e);
        }
    }
}
