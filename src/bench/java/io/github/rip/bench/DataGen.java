package io.github.rip.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Benchmark data, generated on the fly into the work folder (deterministic, never committed). */
final class DataGen {

    static final String CSV_HEADER = "CUSTOMERGROUPID,DESCRIPTION,DEFAULTDIMENSIONDISPLAYVALUE,PAYMENTTERMID\n";
    private static final String[] TERMS = {"Net10", "Net30", "Net45", "Net60"};

    private DataGen() {
    }

    /** {@code count} CSV files of about {@code kb} KB each (distinct rows), named {@code <prefix>00001.csv} … */
    static void smallCsvFiles(Path dir, String prefix, int count, int kb) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            csv(dir.resolve(String.format("%s%05d.csv", prefix, i)), (long) kb * 1024,
                    (prefix.hashCode() & 0xffffL) * 1_000_000_000L + i * 1_000_000L);
        }
    }

    /** A customer-groups CSV of at least {@code bytes} bytes. */
    static void csv(Path file, long bytes, long firstId) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
            w.write(CSV_HEADER);
            long written = CSV_HEADER.length();
            StringBuilder line = new StringBuilder(96);
            for (long id = firstId; written < bytes; id++) {
                line.setLength(0);
                line.append('G').append(id).append(",Customer group ").append(id)
                        .append(" generated for the benchmark,,").append(TERMS[(int) (id & 3)]).append('\n');
                w.append(line);
                written += line.length();
            }
        }
    }

    /** A partner vendor-group XML (the input of transforms/vendor-groups.xsl) of at least {@code bytes} bytes. */
    static void vendorXml(Path file, long bytes) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 20)) {
            String head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VendorGroups>\n";
            w.write(head);
            long written = head.length();
            StringBuilder e = new StringBuilder(128);
            for (long id = 0; written < bytes; id++) {
                e.setLength(0);
                e.append("  <Group code=\"V").append(id).append("\" terms=\"").append(TERMS[(int) (id & 3)])
                        .append("\"><Name>  Vendor group ").append(id).append(" of the benchmark  </Name></Group>\n");
                w.append(e);
                written += e.length();
            }
            w.write("</VendorGroups>\n");
        }
    }

    /** Moves every file of {@code from} into {@code to} (renames keep their modification time). */
    static void moveAll(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.sorted().toList()) {
                Files.move(f, to.resolve(f.getFileName()));
            }
        }
    }

    static long count(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        } catch (IOException e) {
            return 0;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
