package io.github.rip.bench;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.rip.packaging.EntitySpec;
import io.github.rip.packaging.PackageBuilder;
import io.github.rip.packaging.PackageOptions;

/**
 * Package build in a JVM of its own. {@code pack <batchDir> <out.zip>}: the pack's {@link PackageBuilder} with the
 * options a package job uses; {@code zip <file> <out.zip>}: the baseline, plain java.util.zip at the same level.
 * Prints {@code buildSeconds} and {@code zipBytes}.
 */
public final class PackageTool {

    /** The entity line a package job for the generated CSV would declare. */
    static final String SPEC = "Customer groups | *.csv | 1.1.1 | CSV";

    private PackageTool() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[2]);
        PackageOptions options = PackageOptions.defaults("bench");
        // logging is up in a runner long before a package is built: not part of the build time
        org.slf4j.LoggerFactory.getLogger(PackageTool.class).info("package build: {} {}", args[0], args[1]);
        long t0 = System.nanoTime();
        if (args[0].equals("pack")) {
            PackageBuilder.build(Path.of(args[1]), EntitySpec.parseAll(SPEC), out, options);
        } else {
            Path file = Path.of(args[1]);
            try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(new FileOutputStream(out.toFile())))) {
                zip.setLevel(options.compressionLevel());
                zip.putNextEntry(new ZipEntry(file.getFileName().toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        Measured.value("buildSeconds", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e9));
        Measured.value("zipBytes", Files.size(out));
    }
}
