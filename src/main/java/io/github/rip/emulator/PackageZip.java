package io.github.rip.emulator;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A received data package zip, opened without trusting it, as D365 unpacks one into a folder of its own: an entry
 * that would land outside that folder (zip slip) or twice in it (names compare ignoring case, '\' as '/', as on
 * Windows) is a problem, and inflated bytes are counted as they are read, never taken from the zip's headers
 * (zip bomb). Never throws for the content: problems are sentences for the execution log.
 */
final class PackageZip implements Closeable {

    static final int MAX_ENTRIES = 10_000;
    static final long MAX_TOTAL_BYTES = 8L << 30;
    static final int MAX_RATIO = 200;
    /** Small, very compressible files (a manifest, a CSV of blanks) are fine: the ratio counts above this size. */
    static final long RATIO_CHECKED_ABOVE = 16L << 20;
    /**
     * Names without the zip's UTF-8 flag decode as IBM437, as .NET's ZipArchive (D365) and Windows Explorer do;
     * flagged names are UTF-8 whatever this says.
     */
    private static final Charset UNFLAGGED_NAMES = Charset.isSupported("IBM437") ? Charset.forName("IBM437")
            : StandardCharsets.UTF_8;

    private final ZipFile zip;
    private final long zipSize;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long inflated;

    private PackageZip(ZipFile zip, long zipSize) {
        this.zip = zip;
        this.zipSize = zipSize;
    }

    /** @throws IOException only when the file itself cannot be read, never for what it holds */
    static PackageZip open(Path file) throws IOException {
        long size = Files.size(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile(), ZipFile.OPEN_READ, UNFLAGGED_NAMES);
        } catch (ZipException e) {
            PackageZip broken = new PackageZip(null, size);
            broken.problems.add("The package is not a readable zip archive (" + e.getMessage() + ").");
            return broken;
        }
        PackageZip opened = new PackageZip(zip, size);
        opened.list();
        return opened;
    }

    private void list() {
        if (zip.size() > MAX_ENTRIES) {
            problems.add("The package has " + zip.size() + " entries, more than " + MAX_ENTRIES + ".");
            return;
        }
        for (ZipEntry entry : Collections.list(zip.entries())) {
            if (escapes(entry.getName())) {
                problems.add("Entry '" + entry.getName() + "' would be unpacked outside the package folder.");
            } else if (!entry.isDirectory() && entries.putIfAbsent(key(entry.getName()), entry) != null) {
                problems.add("Entry '" + entry.getName() + "' appears more than once (names compare ignoring case).");
            }
        }
    }

    /** False when the file is no zip at all; {@link #problems()} says why. */
    boolean isZip() {
        return zip != null;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Whether a file entry of this name exists, ignoring case and slash direction. */
    boolean has(String name) {
        return entries.containsKey(key(name));
    }

    /** " (found 'x/Manifest.xml': …)" when the zip holds the package folder instead of its content, else "". */
    String nestedHint(String name) {
        String suffix = "/" + key(name);
        return entries.values().stream().map(ZipEntry::getName).filter(n -> key(n).endsWith(suffix)).findFirst()
                .map(n -> " (found '" + n + "': the files must be at the top of the zip, not in a folder)")
                .orElse("");
    }

    /** Streams one entry; reading stops with an IOException once the package inflates beyond the limits. */
    InputStream open(String name) throws IOException {
        ZipEntry entry = entries.get(key(name));
        if (entry == null) {
            throw new FileNotFoundException("The package has no entry '" + name + "'");
        }
        long compressed = entry.getCompressedSize() < 0 ? zipSize : Math.min(entry.getCompressedSize(), zipSize);
        return new Counted(zip.getInputStream(entry), entry.getName(), Math.max(1, compressed));
    }

    @Override
    public void close() throws IOException {
        if (zip != null) {
            zip.close();
        }
    }

    static String key(String name) {
        return name.replace('\\', '/').toLowerCase(Locale.ROOT);
    }

    /** Absolute, drive-qualified, NUL-carrying or climbing with "..": outside any folder it is unpacked into. */
    static boolean escapes(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || n.matches("(?s)[A-Za-z]:.*") || n.indexOf('\0') >= 0) {
            return true;
        }
        for (String segment : n.split("/")) {
            if (segment.strip().equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** Counts what an entry really inflates to, for this entry and for the whole package. */
    private final class Counted extends FilterInputStream {
        private final String name;
        private final long compressed;
        private long count;

        Counted(InputStream in, String name, long compressed) {
            super(in);
            this.name = name;
            this.compressed = compressed;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        /** Through {@link #read(byte[], int, int)}, so skipped bytes count too. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[8192];
            long skipped = 0;
            int r;
            while (skipped < n && (r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped))) > 0) {
                skipped += r;
            }
            return skipped;
        }

        private void counted(int n) throws IOException {
            count += n;
            inflated += n;
            if (inflated > MAX_TOTAL_BYTES) {
                throw new IOException("the package inflates to more than " + (MAX_TOTAL_BYTES >> 30) + " GiB");
            }
            if (count > RATIO_CHECKED_ABOVE && count / compressed > MAX_RATIO) {
                throw new IOException("entry '" + name + "' inflates to more than " + MAX_RATIO + " times its"
                        + " compressed size: the package looks like a zip bomb");
            }
        }
    }
}
