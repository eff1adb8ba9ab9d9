package io.github.rip.it;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.EmulatorConfig;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ExportRecord;
import io.github.rip.packaging.EntitySpec;
import io.github.rip.packaging.PackageBuilder;
import io.github.rip.packaging.PackageOptions;

/** Test fixtures of the export ITs: export jobs written into a routes folder, packages (good and evil), folders. */
final class ExportFixtures {

    private ExportFixtures() {
    }

    /** The export activity id of application.properties (the emulator's "Customer groups export" job). */
    static String activity() {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props.getProperty("export.customer-groups.activity-id").trim();
    }

    /**
     * A runner whose jobs are only those in {@code routes}, polling every 300 ms, with the embedded emulator's demo
     * schedule off (tests publish what they need).
     */
    static PackRunner runner(Path data, Path routes) {
        return new PackRunner(data).set("rip.routes-dir", routes.toString())
                .set("rip.export.poll-interval", "300")
                .set("emulator.exports.customer-groups.every", "0");
    }

    /** Writes one export job (a templatedRoute of d365-export) for the emulator's export activity. */
    static void writeJob(Path routes, String jobName, Path jobFolder, String target, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("jobName", jobName);
        params.put("activityId", activity());
        params.put("jobFolder", jobFolder.toString());
        params.put("target", target);
        params.putAll(extra);
        StringBuilder yaml = new StringBuilder("# test job " + jobName + "\n- templatedRoute:\n"
                + "    routeTemplateRef: d365-export\n    routeId: export-" + jobName + "\n    parameters:\n");
        params.forEach((k, v) -> yaml.append("      - name: ").append(k).append("\n        value: \"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\"\n"));
        try {
            Files.createDirectories(routes);
            Files.writeString(routes.resolve(jobName + ".camel.yaml"), yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real data package (Manifest.xml, PackageHeader.xml) holding these entity files (entity = file stem). */
    static Path dataPackage(Path zip, Map<String, String> files) throws Exception {
        Path batch = Files.createTempDirectory(zip.getParent(), "batch");
        List<EntitySpec> specs = new ArrayList<>();
        int sequence = 1;
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(batch.resolve(f.getKey()), f.getValue());
            String entity = f.getKey().substring(0, f.getKey().lastIndexOf('.'));
            specs.add(new EntitySpec(entity, f.getKey(), 1, 1, sequence++, f.getKey().endsWith(".csv") ? "CSV" : null));
        }
        PackageBuilder.build(batch, specs, zip, PackageOptions.defaults("Export test"));
        return zip;
    }

    /** A zip with exactly these entries, names taken as they are (for zip-slip packages). */
    static Path rawZip(Path zip, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return zip;
    }

    /** A package whose one entity file inflates from a few KB to {@code megabytes} MB of zeros. */
    static Path zipBomb(Path zip, int megabytes) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("Manifest.xml"));
            out.write("<DataManagementPackageManifest/>".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("Customer groups.csv"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < megabytes; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        return zip;
    }

    /** The entries of a zip: name to bytes. */
    static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    /** Visible regular files directly in a folder (no .part- temporaries), sorted by name; empty if it is missing. */
    static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file below a folder, hidden ones included. */
    static List<Path> allFiles(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ExportJournal journal(PackRunner runner) {
        return runner.context().getRegistry().lookupByNameAndType("exportJournal", ExportJournal.class);
    }

    /** The job's journal row for a CorrelationId, if the runner has seen it yet. */
    static java.util.Optional<ExportRecord> row(PackRunner runner, String job, String correlationId) {
        return journal(runner).byCorrelationId(job, correlationId);
    }

    /**
     * A D365 emulator on its own (like {@link StandaloneEmulator}, but with the demo export schedule off), for runners
     * pointed at it through something in between.
     */
    static D365Emulator standaloneEmulator(Path dataDir) throws IOException {
        Properties app = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            app.load(in);
        }
        app.setProperty("d365.client-id", StandaloneEmulator.CLIENT_ID);
        app.setProperty("d365.client-secret", StandaloneEmulator.SECRET);
        app.setProperty("emulator.exports.customer-groups.every", "0");
        Pattern placeholder = Pattern.compile("\\{\\{([^:}]+)(?::([^}]*))?}}");
        EmulatorConfig config = EmulatorConfig.loadDefault(text -> {
            Matcher m = placeholder.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = app.getProperty(m.group(1), m.group(2) == null ? "" : m.group(2));
                m.appendReplacement(out, Matcher.quoteReplacement(value.trim()));
            }
            return m.appendTail(out).toString();
        }).toBuilder().dataDir(dataDir).port(0).build();
        return D365Emulator.start(config);
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
