package io.github.rip.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link PackageReader} found in a package zip.
 *
 * @param manifest         the parsed manifest, null if Manifest.xml is missing or unreadable
 * @param hasPackageHeader whether a top-level PackageHeader.xml exists
 * @param entryNames       every file entry name of the zip, in zip order (directory entries left out)
 * @param problems         sentences a user can act on; empty means the package is valid
 */
public record PackageContents(PackageManifest manifest, boolean hasPackageHeader, List<String> entryNames,
                              List<String> problems) {

    public PackageContents {
        entryNames = entryNames == null ? List.of() : List.copyOf(entryNames);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** True when no problem was found. */
    public boolean isValid() {
        return problems.isEmpty();
    }

    /**
     * Opens the entry whose name equals inputFilePath (case-insensitive); caller closes. The stream inflates lazily
     * and stops with an IOException if the entry expands beyond {@link PackageLimits#DEFAULTS}.
     */
    public InputStream openEntry(Path zip, String inputFilePath) throws IOException {
        return ZipAccess.openEntry(zip, inputFilePath, PackageLimits.DEFAULTS);
    }
}
