package io.github.rip.packaging;

/**
 * Zip-bomb guards for reading packages; sizes are counted from actually inflated bytes, never from zip headers.
 *
 * @param maxEntries            most entries a package may hold
 * @param maxTotalBytes         most uncompressed bytes all entries together may inflate to
 * @param maxCompressionRatio   most uncompressed/compressed ratio of one entry ...
 * @param ratioThresholdBytes   ... checked only once that entry has inflated more than this many bytes, so that small
 *                              but highly compressible files (a CSV of zeros, an empty-ish manifest) are not flagged
 */
public record PackageLimits(int maxEntries, long maxTotalBytes, double maxCompressionRatio, long ratioThresholdBytes) {

    /** 10,000 entries, 8 GiB in total, ratio 200 for entries above 16 MiB. */
    public static final PackageLimits DEFAULTS = new PackageLimits(10_000, 8L << 30, 200, 16L << 20);

    public PackageLimits {
        if (maxEntries < 1 || maxTotalBytes < 1 || maxCompressionRatio < 1 || ratioThresholdBytes < 0) {
            throw new IllegalArgumentException("Package limits must be positive: " + maxEntries + " entries, "
                    + maxTotalBytes + " bytes, ratio " + maxCompressionRatio + " above " + ratioThresholdBytes);
        }
    }

    /** The defaults (see {@link #DEFAULTS}). */
    public static PackageLimits defaults() {
        return DEFAULTS;
    }
}
