package io.github.rip.exporting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import io.github.rip.packaging.PackageLimits;

/**
 * Unzips a downloaded package into one staging folder without trusting it (docs/d365-api.md §3.5): every entry name is
 * checked before anything is written (no absolute paths, drive letters, '..' or control characters; no two entries
 * with the same name), files are written flat (sub-folders become part of the name) with CREATE_NEW into the staging
 * folder only, and the bytes actually inflated are counted against {@link PackageLimits} (total size, ratio, entries).
 */
public final class PackageUnpacker {

    /** The package's own description files, left out unless asked for. */
    static final Set<String> PACKAGE_FILES = Set.of("manifest.xml", "packageheader.xml");

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    /** One unpacked entry. */
    public record Unpacked(String entryName, Path file) {
    }

    private final PackageLimits limits;

    public PackageUnpacker(PackageLimits limits) {
        this.limits = limits;
    }

    /** Whether the file starts like a zip archive (a local file header). */
    public static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return java.util.Arrays.equals(head, ZIP_MAGIC);
        }
    }

    /**
     * Unpacks {@code zip} into {@code target} (created if missing), in zip order.
     *
     * @throws ExportRejectedException for a package that is corrupt, malicious or over the limits (files written so
     *                                 far stay in {@code target}, which the caller discards)
     */
    public List<Unpacked> unpack(Path zip, Path target, boolean keepPackageFiles) throws IOException {
        Path root = Files.createDirectories(target).toRealPath();
        long zipSize = Files.size(zip);
        try (ZipFile zf = open(zip)) {
            List<ZipEntry> entries = checkedEntries(zf);
            List<Unpacked> out = new ArrayList<>();
            long inflated = 0;
            for (ZipEntry entry : entries) {
                if (!keepPackageFiles && PACKAGE_FILES.contains(entry.getName().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                Path file = root.resolve(flatName(entry.getName())).normalize();
                if (!file.getParent().equals(root)) {
                    throw new ExportRejectedException("Entry '" + entry.getName() + "' escapes the package folder");
                }
                inflated += copy(zf, entry, file, Math.min(Math.max(entry.getCompressedSize(), 1), zipSize), inflated);
                out.add(new Unpacked(entry.getName(), file));
            }
            return out;
        } catch (ZipException e) {
            throw new ExportRejectedException("The package is not a readable zip archive: " + e.getMessage(), e);
        }
    }

    /** All file entries, after checking count, names and duplicates for the whole archive first. */
    private List<ZipEntry> checkedEntries(ZipFile zf) {
        if (zf.size() > limits.maxEntries()) {
            throw new ExportRejectedException("The package has " + zf.size() + " entries, more than the allowed "
                    + limits.maxEntries() + "; this looks like a zip bomb");
        }
        List<ZipEntry> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ZipEntry entry : Collections.list(zf.entries())) {
            String name = entry.getName();
            if (escapes(name)) {
                throw new ExportRejectedException("Entry '" + printable(name) + "' escapes the package folder (an "
                        + "absolute path, a drive letter, '..' or a control character); this looks like a zip-slip "
                        + "attack, nothing was unpacked");
            }
            if (entry.isDirectory()) {
                continue;
            }
            if (!seen.add(flatName(name).toLowerCase(Locale.ROOT))) {
                throw new ExportRejectedException("Entry '" + name + "' appears more than once (names compared "
                        + "ignoring case and folders)");
            }
            files.add(entry);
        }
        return files;
    }

    private long copy(ZipFile zf, ZipEntry entry, Path file, long compressed, long inflatedBefore) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long count = 0;
        try (InputStream in = zf.getInputStream(entry);
             OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                count += n;
                if (inflatedBefore + count > limits.maxTotalBytes()) {
                    throw new ExportRejectedException("Entry '" + entry.getName() + "' expands beyond the allowed size: "
                            + "the package would exceed " + limits.maxTotalBytes() + " bytes uncompressed; this looks "
                            + "like a zip bomb");
                }
                if (count > limits.ratioThresholdBytes() && (double) count / compressed > limits.maxCompressionRatio()) {
                    throw new ExportRejectedException("Entry '" + entry.getName() + "' expands beyond the allowed "
                            + "ratio: " + compressed + " compressed bytes already inflated to more than " + count
                            + " (above " + (long) limits.maxCompressionRatio() + ":1); this looks like a zip bomb");
                }
                out.write(buf, 0, n);
            }
        } catch (ZipException e) {
            throw new ExportRejectedException("Entry '" + entry.getName() + "' is corrupt: " + e.getMessage(), e);
        }
        return count;
    }

    /** The file name an entry is written as: its path with folder separators turned into '_'. */
    static String flatName(String entryName) {
        return entryName.replace('\\', '/').replaceAll("^/+", "").replace('/', '_');
    }

    /** True when the name could land outside the folder it is unpacked into, or holds control characters. */
    static boolean escapes(String name) {
        String n = name.replace('\\', '/');
        if (n.isBlank() || n.startsWith("/") || n.matches("(?s)^[A-Za-z]:.*")
                || n.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            return true;
        }
        for (String segment : n.split("/")) {
            if (segment.strip().equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String printable(String name) {
        return name.replaceAll("\\p{Cntrl}", "?");
    }

    /** UTF-8 names, or IBM437 for zips written by Windows' "Send to compressed folder" (as PackageReader does). */
    private static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile(), ZipFile.OPEN_READ, StandardCharsets.UTF_8);
        } catch (ZipException | IllegalArgumentException utf8) {
            if (!Charset.isSupported("IBM437")) {
                throw utf8 instanceof ZipException z ? z : new ZipException(utf8.getMessage());
            }
            return new ZipFile(zip.toFile(), ZipFile.OPEN_READ, Charset.forName("IBM437"));
        }
    }
}
