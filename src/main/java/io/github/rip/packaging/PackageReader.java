package io.github.rip.packaging;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Reads and validates D365 data package zips without trusting them (docs/d365-api.md §3). */
public final class PackageReader {

    private static final int BUFFER = 64 * 1024;
    private static final int LISTED_NAMES = 20;

    private PackageReader() {
    }

    /**
     * Reads and validates a package zip (zip-slip/zip-bomb guarded, UTF-8 or UTF-16 manifests with or without
     * BOM/XML declaration, any element order, namespace-aware but tolerant of no namespace, case-insensitive entry
     * names). Never throws for a broken package: problems are in the result. Streams: never loads entity files into
     * memory. Uses {@link PackageLimits#DEFAULTS}.
     *
     * @throws IOException only when the file itself cannot be read (missing, no permission), never for its content
     */
    public static PackageContents read(Path zip) throws IOException {
        return read(zip, PackageLimits.DEFAULTS);
    }

    /** As {@link #read(Path)} with explicit limits. Every entry is inflated once to count its real size and CRC. */
    public static PackageContents read(Path zip, PackageLimits limits) throws IOException {
        long zipSize = Files.size(zip); // a missing file is an I/O error for the caller, not a package problem
        ZipFile zf;
        try {
            zf = ZipAccess.open(zip);
        } catch (ZipException e) {
            return new PackageContents(null, false, List.of(),
                    List.of("File '" + zip.getFileName() + "' is not a readable zip archive: "
                            + ZipAccess.explain(e)));
        }
        try (zf) {
            return new Scan(zf, zipSize, limits).run();
        }
    }

    /** One validation pass over an open zip. */
    private static final class Scan {
        private final ZipFile zip;
        private final long zipSize;
        private final PackageLimits limits;
        private final List<String> problems = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final Map<String, ZipEntry> byKey = new LinkedHashMap<>();
        private final Set<String> unreadable = new HashSet<>();

        Scan(ZipFile zip, long zipSize, PackageLimits limits) {
            this.zip = zip;
            this.zipSize = zipSize;
            this.limits = limits;
        }

        PackageContents run() throws IOException {
            if (zip.size() > limits.maxEntries()) {
                problems.add("Package has " + zip.size() + " entries, more than the allowed " + limits.maxEntries());
                return new PackageContents(null, false, List.of(), problems);
            }
            scanEntries();
            PackageManifest manifest = null;
            ZipEntry manifestEntry = byKey.get(ZipAccess.key(ManifestParser.MANIFEST));
            if (manifestEntry == null) {
                problems.add("Package is missing " + ManifestParser.MANIFEST + nestedHint(ManifestParser.MANIFEST));
            } else if (!unreadable.contains(ZipAccess.key(manifestEntry.getName()))) {
                try (InputStream in = guarded(manifestEntry, 0)) {
                    manifest = ManifestParser.parseManifest(in, problems);
                } catch (ZipException | EOFException | LimitedInputStream.LimitExceededException e) {
                    problems.add(ManifestParser.MANIFEST + " cannot be read: " + e.getMessage()); // changed meanwhile
                }
            }
            ZipEntry headerEntry = byKey.get(ZipAccess.key(ManifestParser.HEADER));
            if (headerEntry == null) {
                problems.add("Package is missing " + ManifestParser.HEADER + nestedHint(ManifestParser.HEADER));
            } else if (!unreadable.contains(ZipAccess.key(headerEntry.getName()))) {
                try (InputStream in = guarded(headerEntry, 0)) {
                    ManifestParser.checkHeader(in, problems);
                } catch (ZipException | EOFException | LimitedInputStream.LimitExceededException e) {
                    problems.add(ManifestParser.HEADER + " cannot be read: " + e.getMessage());
                }
            }
            if (manifest != null) {
                checkInputFiles(manifest);
            }
            return new PackageContents(manifest, headerEntry != null, names, problems);
        }

        /** Inflates every entry once, counting real bytes: sizes in zip headers are attacker-controlled. */
        private void scanEntries() throws IOException {
            long inflated = 0;
            boolean stopped = false;
            byte[] buf = new byte[BUFFER];
            for (ZipEntry e : Collections.list(zip.entries())) {
                String name = e.getName();
                if (ZipAccess.escapes(name)) {
                    problems.add("Entry '" + name + "' escapes the package folder");
                }
                if (e.isDirectory()) {
                    continue;
                }
                names.add(name);
                String key = ZipAccess.key(name);
                if (byKey.putIfAbsent(key, e) != null) {
                    problems.add("Entry '" + name + "' appears more than once (names are compared ignoring case)");
                    unreadable.add(key);
                }
                if (stopped) {
                    continue;
                }
                LimitedInputStream in = null;
                try {
                    in = guarded(e, inflated);
                    try (LimitedInputStream counting = in) {
                        while (counting.read(buf) >= 0) {
                            // only counting and checksumming
                        }
                    }
                } catch (LimitedInputStream.LimitExceededException tooBig) {
                    problems.add(tooBig.getMessage());
                    unreadable.add(key);
                    stopped = tooBig.totalExceeded();
                    inflated += in.count();
                    continue;
                } catch (ZipException | EOFException corrupt) {
                    problems.add("Entry '" + name + "' is corrupt: " + corrupt.getMessage());
                    unreadable.add(key);
                    continue;
                }
                inflated += in.count();
                if (e.getSize() >= 0 && e.getSize() != in.count()) {
                    problems.add("Entry '" + name + "' declares " + e.getSize() + " bytes but holds " + in.count()
                            + "; the zip is corrupt");
                    unreadable.add(key);
                } else if (e.getCrc() >= 0 && e.getCrc() != in.crc()) {
                    problems.add("Entry '" + name + "' is corrupt (CRC mismatch)");
                    unreadable.add(key);
                }
            }
        }

        private LimitedInputStream guarded(ZipEntry e, long inflatedBefore) throws IOException {
            return new LimitedInputStream(zip.getInputStream(e), e.getName(), ZipAccess.compressedSize(e, zipSize),
                    inflatedBefore, limits);
        }

        private void checkInputFiles(PackageManifest manifest) {
            for (PackageEntity entity : manifest.entities()) {
                String path = entity.inputFilePath();
                if (path == null || path.isBlank()) {
                    continue; // already reported by the parser
                }
                if (ZipAccess.escapes(path)) {
                    problems.add(ManifestParser.MANIFEST + " names InputFilePath '" + path + "' for entity '"
                            + entity.entityName() + "', which escapes the package folder");
                } else if (!byKey.containsKey(ZipAccess.key(path))) {
                    problems.add(ManifestParser.MANIFEST + " names InputFilePath '" + path + "' for entity '"
                            + entity.entityName() + "' but the zip has no such entry (entries: " + listing() + ")");
                }
            }
        }

        private String listing() {
            if (names.isEmpty()) {
                return "none";
            }
            String shown = String.join(", ", names.subList(0, Math.min(LISTED_NAMES, names.size())));
            return names.size() > LISTED_NAMES ? shown + ", … and " + (names.size() - LISTED_NAMES) + " more" : shown;
        }

        /** Zipping the folder instead of its content is the most common mistake: say so. */
        private String nestedHint(String file) {
            String suffix = "/" + ZipAccess.key(file);
            for (String name : names) {
                if (ZipAccess.key(name).endsWith(suffix)) {
                    return " at the top level (found '" + name + "': zip the folder's content, not the folder)";
                }
            }
            return "";
        }
    }
}
