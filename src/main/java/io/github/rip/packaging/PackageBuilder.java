package io.github.rip.packaging;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds a multi-entity D365 data package from a batch folder (docs/d365-api.md §3). */
public final class PackageBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(PackageBuilder.class);
    /** Large copy and file buffers: the deflater, not the I/O, should be the bottleneck for big files. */
    private static final int BUFFER = 1 << 20;

    private PackageBuilder() {
    }

    /** A batch file assigned to its spec, with what its header told us. */
    private record Planned(EntitySpec spec, Path file, String entryName, HeaderReader.Header header) {
    }

    /**
     * Builds a package zip at target from the files of batchDir: each file is matched to exactly one EntitySpec
     * (unmatched file, or spec with no file, or a file matched by two specs → PackageBuildException with a clear
     * message naming files/specs); the field map is read from the file's header row (CSV: first line, delimiter , or
     * ; detected, quotes handled, UTF-8/UTF-16 BOM honoured) or from the first record element's children/attributes
     * (XML) or the first sheet's first row (xlsx); Manifest.xml + PackageHeader.xml generated; entity files streamed
     * into the zip under their own (sanitised) file name as InputFilePath. Writes to a temp file next to target and
     * renames atomically (replacing an existing target). Returns what it built.
     * <p>
     * Only regular files directly in batchDir count; names starting with '.' (marker and lock files such as
     * {@code .camelLock}) and the target itself are ignored. Entities are written ordered by unit.level.sequence.
     */
    public static PackageManifest build(Path batchDir, List<EntitySpec> specs, Path target, PackageOptions options)
            throws IOException, PackageBuildException {
        return build(batchDir, specs, target, options, file -> true);
    }

    /** As {@link #build(Path, List, Path, PackageOptions)}, taking only the batch files {@code include} accepts (e.g. not the batch marker). */
    public static PackageManifest build(Path batchDir, List<EntitySpec> specs, Path target, PackageOptions options,
                                        java.util.function.Predicate<Path> include)
            throws IOException, PackageBuildException {
        if (specs == null || specs.isEmpty()) {
            throw new PackageBuildException("No entity specs given: nothing tells which file is which entity");
        }
        if (!Files.isDirectory(batchDir)) {
            throw new PackageBuildException("Batch folder '" + batchDir + "' does not exist or is not a folder");
        }
        List<Planned> plan = plan(batchDir, specs, target.toAbsolutePath().normalize(), include);
        List<PackageEntity> entities = new ArrayList<>();
        Map<PackageEntity, String> sheets = new HashMap<>();
        for (Planned p : plan) {
            PackageEntity e = new PackageEntity(p.spec().entityName(), p.entryName(),
                    p.spec().sourceFormat() != null ? p.spec().sourceFormat() : p.header().impliedFormat(),
                    p.spec().executionUnit(), p.spec().levelInExecutionUnit(), p.spec().sequenceInLevel(),
                    p.header().columns(), options.failExecutionUnitOnError(), options.failLevelOnError(),
                    options.runBusinessLogic(), options.runBusinessValidation());
            warnAboutEncoding(e, p);
            entities.add(e);
            sheets.put(e, p.header().sheetName());
        }
        PackageManifest manifest = new PackageManifest(options.definitionGroupName(), options.description(),
                entities);
        write(manifest, plan, sheets, target, options);
        LOG.info("Built package {} with {} entities for data project '{}'", target.getFileName(), entities.size(),
                options.definitionGroupName());
        return manifest;
    }

    /** Matches files to specs and reads headers; collects every problem before failing. */
    private static List<Planned> plan(Path batchDir, List<EntitySpec> specs, Path target,
                                      java.util.function.Predicate<Path> include)
            throws IOException, PackageBuildException {
        List<Path> files;
        try (Stream<Path> s = Files.list(batchDir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.toAbsolutePath().normalize().equals(target))
                    .filter(include)
                    .sorted(Comparator.comparing(f -> f.getFileName().toString()))
                    .toList();
        }
        List<String> problems = new ArrayList<>();
        Map<EntitySpec, List<Path>> filesOf = new LinkedHashMap<>();
        specs.forEach(spec -> filesOf.put(spec, new ArrayList<>()));
        for (Path f : files) {
            String name = f.getFileName().toString();
            List<EntitySpec> matching = specs.stream().filter(s -> s.matches(name)).toList();
            if (matching.isEmpty()) {
                problems.add("File '" + name + "' matches no entity spec (globs: " + specs.stream()
                        .map(EntitySpec::fileGlob).collect(Collectors.joining(", ")) + ")");
            } else if (matching.size() > 1) {
                problems.add("File '" + name + "' matches several entity specs: " + matching.stream()
                        .map(s -> "'" + s.entityName() + "' (" + s.fileGlob() + ")")
                        .collect(Collectors.joining(", ")) + "; make the globs exclusive");
            }
            matching.forEach(s -> filesOf.get(s).add(f));
        }
        filesOf.forEach((spec, matched) -> {
            if (matched.isEmpty()) {
                problems.add("Entity '" + spec.entityName() + "' (glob '" + spec.fileGlob()
                        + "') has no file in the batch");
            } else if (matched.size() > 1) {
                problems.add("Entity '" + spec.entityName() + "' (glob '" + spec.fileGlob() + "') matches "
                        + matched.size() + " files: " + matched.stream().map(p -> p.getFileName().toString())
                        .collect(Collectors.joining(", ")) + "; a package takes one file per entity");
            }
        });
        if (!problems.isEmpty()) {
            throw new PackageBuildException(problems);
        }
        List<Planned> plan = new ArrayList<>();
        Map<String, String> entryOwners = new HashMap<>();
        entryOwners.put(ZipAccess.key(ManifestParser.MANIFEST), ManifestParser.MANIFEST);
        entryOwners.put(ZipAccess.key(ManifestParser.HEADER), ManifestParser.HEADER);
        for (Map.Entry<EntitySpec, List<Path>> m : filesOf.entrySet()) {
            EntitySpec spec = m.getKey();
            Path file = m.getValue().get(0);
            String original = file.getFileName().toString();
            String entry = EntryNames.sanitize(original);
            String owner = entry.isEmpty() ? null : entryOwners.putIfAbsent(ZipAccess.key(entry), original);
            if (entry.isEmpty()) {
                problems.add("File '" + original + "' has no usable name for a package entry; rename it");
                continue;
            } else if (owner != null) {
                problems.add("File '" + original + "' would be stored as '" + entry + "', which clashes with '"
                        + owner + "' (names are compared ignoring case); rename it");
                continue;
            }
            try {
                plan.add(new Planned(spec, file, entry, header(file, spec)));
            } catch (PackageBuildException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new PackageBuildException(problems);
        }
        plan.sort(Comparator.comparingInt((Planned p) -> p.spec().executionUnit())
                .thenComparingInt(p -> p.spec().levelInExecutionUnit())
                .thenComparingInt(p -> p.spec().sequenceInLevel()));
        return plan;
    }

    /** The extension decides how to read the header; without a known one, the explicit source format does. */
    private static HeaderReader.Header header(Path file, EntitySpec spec) throws IOException, PackageBuildException {
        String ext = EntryNames.extension(file.getFileName().toString());
        String format = spec.sourceFormat() == null ? "" : spec.sourceFormat().toUpperCase(java.util.Locale.ROOT);
        if (ext.equals("xml") || !ext.equals("csv") && format.contains("XML")) {
            return HeaderReader.xml(file, spec.sourceFormat());
        }
        if (ext.equals("xlsx") || ext.equals("xlsm") || !ext.equals("csv") && format.equals("EXCEL")) {
            return XlsxHeaderReader.read(file);
        }
        if (ext.equals("csv") || spec.sourceFormat() != null) {
            return HeaderReader.csv(file);
        }
        throw new PackageBuildException("Cannot tell the source format of '" + file.getFileName() + "' from its"
                + " extension; add '| <source format>' (e.g. CSV-Unicode) to the spec line of entity '"
                + spec.entityName() + "'");
    }

    /** docs/d365-api.md §3.4 (third-party): CSV-Unicode wants UTF-16LE with BOM, else "Selected file is not Unicode". */
    private static void warnAboutEncoding(PackageEntity e, Planned p) {
        if ("CSV-Unicode".equalsIgnoreCase(e.sourceFormat())
                && !p.header().charset().equals(StandardCharsets.UTF_16LE)) {
            LOG.warn("File '{}' for entity '{}' is {} but source format CSV-Unicode expects UTF-16LE with BOM; D365 may"
                    + " answer 'Selected file is not Unicode'. Set the spec's source format to the data project's"
                    + " format if it is not CSV-Unicode.", p.file().getFileName(), e.entityName(),
                    p.header().charset().name());
        }
    }

    private static void write(PackageManifest manifest, List<Planned> plan, Map<PackageEntity, String> sheets,
                              Path target, PackageOptions options) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
        try {
            try (FileOutputStream fos = new FileOutputStream(temp.toFile());
                 ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(fos, BUFFER),
                         StandardCharsets.UTF_8)) {
                zip.setLevel(options.compressionLevel());
                zip.putNextEntry(new ZipEntry(ManifestParser.MANIFEST));
                ManifestWriter.writeManifest(manifest, zip, options.manifestCharset(),
                        e -> sheets.getOrDefault(e, ""));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(ManifestParser.HEADER));
                ManifestWriter.writeHeader(options.description(), zip, options.manifestCharset());
                zip.closeEntry();
                byte[] buf = new byte[BUFFER];
                for (Planned p : plan) {
                    ZipEntry entry = new ZipEntry(p.entryName());
                    entry.setLastModifiedTime(Files.getLastModifiedTime(p.file()));
                    zip.putNextEntry(entry);
                    copy(p.file(), zip, buf);
                    zip.closeEntry();
                }
                zip.finish();
                zip.flush();
                fos.getFD().sync(); // the rename must not publish a zip whose bytes are still in the page cache
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void copy(Path file, OutputStream out, byte[] buf) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        }
    }
}
