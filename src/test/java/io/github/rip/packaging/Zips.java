package io.github.rip.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Test helpers: write zips entry by entry, read them back, encode text with or without BOM. */
final class Zips {

    static final String NS = ManifestWriter.NAMESPACE;

    private Zips() {
    }

    /** Writes a deflated zip with the entries in map order (names taken verbatim, even hostile ones). */
    static Path write(Path zip, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return zip;
    }

    /** Writes one STORED entry (sizes and CRC in the local header, so the data can be patched afterwards). */
    static Path writeStored(Path zip, String name, byte[] data) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            ZipEntry e = new ZipEntry(name);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            out.putNextEntry(e);
            out.write(data);
            out.closeEntry();
        }
        return zip;
    }

    static Map<String, byte[]> entries(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            Object v = nameThenBytes[i + 1];
            m.put((String) nameThenBytes[i], v instanceof byte[] b ? b : utf8((String) v));
        }
        return m;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Text in the charset, with its byte order mark first. */
    static byte[] withBom(String s, Charset charset) {
        byte[] bom = charset.equals(StandardCharsets.UTF_8) ? new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}
                : charset.equals(StandardCharsets.UTF_16BE) ? new byte[] {(byte) 0xFE, (byte) 0xFF}
                : new byte[] {(byte) 0xFF, (byte) 0xFE};
        byte[] body = s.getBytes(charset);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        return all;
    }

    static List<String> names(Path zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }

    static byte[] read(Path zip, String name) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile()); InputStream in = z.getInputStream(z.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = Zips.class.getResourceAsStream("/packaging/" + name)) {
            if (in == null) {
                throw new IOException("test resource /packaging/" + name + " missing");
            }
            return in.readAllBytes();
        }
    }

    /** A small valid manifest in D365's namespace for one CSV entity. */
    static String manifest(String entityName, String inputFilePath) {
        return "<DataManagementPackageManifest xmlns=\"" + NS + "\" xmlns:i=\"" + ManifestWriter.XSI + "\">"
                + "<DefinitionGroupName>Test</DefinitionGroupName><Description>Test</Description><PackageEntityList>"
                + "<DataManagementPackageEntityData><EntityMapList><EntityMap><EntityField>ACCOUNT</EntityField>"
                + "<XMLField>ACCOUNT</XMLField></EntityMap></EntityMapList><EntityName>" + entityName
                + "</EntityName><ExecutionUnit>1</ExecutionUnit><InputFilePath>" + inputFilePath
                + "</InputFilePath><LevelInExecutionUnit>1</LevelInExecutionUnit><SequenceInLevel>1</SequenceInLevel>"
                + "<SourceFormat>CSV-Unicode</SourceFormat></DataManagementPackageEntityData></PackageEntityList>"
                + "</DataManagementPackageManifest>";
    }

    static String header() {
        return "<DataManagementPackageHeader xmlns=\"" + NS + "\"><Description>Test</Description><ManifestType>"
                + ManifestWriter.MANIFEST_TYPE + "</ManifestType><PackageType>DefinitionGroup</PackageType>"
                + "<PackageVersion>2</PackageVersion></DataManagementPackageHeader>";
    }

    static byte[] zeros(int n) {
        return new byte[n];
    }
}
