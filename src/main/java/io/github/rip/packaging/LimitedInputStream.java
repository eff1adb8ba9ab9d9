package io.github.rip.packaging;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/** Counts the bytes an entry really inflates to (headers may lie) and stops at the package limits; computes the CRC. */
final class LimitedInputStream extends FilterInputStream {

    /** Thrown when an entry expands beyond the limits; its message is the user-facing problem sentence. */
    static final class LimitExceededException extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean totalExceeded;

        LimitExceededException(String message, boolean totalExceeded) {
            super(message);
            this.totalExceeded = totalExceeded;
        }

        /** True when the whole package, not only this entry, is over the limit: reading more entries is pointless. */
        boolean totalExceeded() {
            return totalExceeded;
        }
    }

    private final String entryName;
    private final long compressedSize;
    private final long inflatedBefore;
    private final PackageLimits limits;
    private final CRC32 crc = new CRC32();
    private long count;

    /**
     * @param compressedSize the entry's compressed size, already capped at the zip file's size so that a lying header
     *                       cannot make the ratio look small
     * @param inflatedBefore bytes the earlier entries of the same package inflated to
     */
    LimitedInputStream(InputStream in, String entryName, long compressedSize, long inflatedBefore,
                       PackageLimits limits) {
        super(in);
        this.entryName = entryName;
        this.compressedSize = Math.max(1, compressedSize);
        this.inflatedBefore = inflatedBefore;
        this.limits = limits;
    }

    long count() {
        return count;
    }

    long crc() {
        return crc.getValue();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            crc.update(b);
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
            crc.update(buf, off, n);
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipping must not bypass the counting: read through a small buffer instead
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void counted(int n) throws LimitExceededException {
        count += n;
        if (inflatedBefore + count > limits.maxTotalBytes()) {
            throw new LimitExceededException("Entry '" + entryName + "' expands beyond the allowed size/ratio (the "
                    + "package would exceed " + human(limits.maxTotalBytes()) + " uncompressed in total)", true);
        }
        if (count > limits.ratioThresholdBytes() && (double) count / compressedSize > limits.maxCompressionRatio()) {
            throw new LimitExceededException("Entry '" + entryName + "' expands beyond the allowed size/ratio ("
                    + human(compressedSize) + " compressed already inflated to more than " + human(count)
                    + ", a ratio above " + fmt(limits.maxCompressionRatio()) + ":1; this looks like a zip bomb)",
                    false);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** Byte counts as people read them: 1536 → "1.5 KiB". */
    static String human(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : (v == Math.rint(v) ? String.valueOf((long) v) : String.format(
                java.util.Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
