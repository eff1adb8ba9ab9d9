package io.github.rip.packaging;

import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Opening package zips and finding entries the way D365 and RIS do: case-insensitively, '\' same as '/'. */
final class ZipAccess {

    private ZipAccess() {
    }

    /**
     * Opens with UTF-8 names; falls back to IBM437 because Windows' "Send to compressed folder" writes non-ASCII
     * names in the OEM code page without the UTF-8 flag, which java.util.zip rejects as a bad entry name.
     */
    static ZipFile open(Path zip) throws IOException {
        try {
            return new ZipFile(zip.toFile(), ZipFile.OPEN_READ, StandardCharsets.UTF_8);
        } catch (ZipException | IllegalArgumentException utf8Failure) {
            if (!Charset.isSupported("IBM437")) {
                throw utf8Failure;
            }
            try {
                return new ZipFile(zip.toFile(), ZipFile.OPEN_READ, Charset.forName("IBM437"));
            } catch (ZipException | IllegalArgumentException ignored) {
                throw utf8Failure instanceof ZipException z ? z : new ZipException(utf8Failure.getMessage());
            }
        }
    }

    /** java.util.zip's terse open failures, said so that a user knows what to change. */
    static String explain(ZipException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("bad compression method")) {
            return m + "; an entry is compressed with a method other than Deflate (Deflate64, as Windows uses for"
                    + " large files, or bzip2/LZMA from 7-Zip); zip the package with plain Deflate";
        }
        if (m.contains("encrypted")) {
            return m + "; the zip is password-protected, which D365 cannot import";
        }
        return m;
    }

    /** The comparison key of an entry name: '\' as '/', lower case. */
    static String key(String name) {
        return GlobMatcher.fold(name.replace('\\', '/'));
    }

    /** True when the name, resolved against an extraction folder, would land outside it. */
    static boolean escapes(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || n.matches("(?s)^[A-Za-z]:.*") || n.indexOf('\0') >= 0) {
            return true;
        }
        for (String segment : n.split("/")) {
            if (segment.strip().equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** The entry whose name equals {@code name} ignoring case and slash direction, or null. */
    static ZipEntry find(ZipFile zip, String name) {
        ZipEntry exact = zip.getEntry(name);
        if (exact != null && !exact.isDirectory()) {
            return exact;
        }
        String wanted = key(name);
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (!e.isDirectory() && key(e.getName()).equals(wanted)) {
                return e;
            }
        }
        return null;
    }

    /** The compressed size used for ratio checks, capped by the zip's real size so a lying header cannot hide a bomb. */
    static long compressedSize(ZipEntry entry, long zipSize) {
        long c = entry.getCompressedSize();
        return c < 0 ? zipSize : Math.min(c, zipSize);
    }

    /** Opens one entry, guarded by the limits; closing the stream closes the zip. */
    static InputStream openEntry(Path zipPath, String name, PackageLimits limits) throws IOException {
        long zipSize = Files.size(zipPath);
        ZipFile zip = open(zipPath);
        try {
            ZipEntry entry = find(zip, name);
            if (entry == null) {
                throw new FileNotFoundException("Package " + zipPath.getFileName() + " has no entry '" + name + "'");
            }
            InputStream raw = zip.getInputStream(entry);
            return new FilterInputStream(new LimitedInputStream(raw, entry.getName(),
                    compressedSize(entry, zipSize), 0, limits)) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        zip.close();
                    }
                }
            };
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }
}
