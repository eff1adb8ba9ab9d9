package io.github.rip.importing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;

/** Moves files into archive folders (sent/, processed/, failed/) without ever overwriting: clashes get unique names. */
public final class ArchiveFolder {

    private ArchiveFolder() {
    }

    /** A free name in dir: the original, else name.&lt;journalId&gt;.ext, else name.&lt;journalId&gt;-n.ext. */
    public static Path freeName(Path dir, String fileName, long journalId) {
        return dir.resolve(freeName(fileName, journalId, name -> Files.exists(dir.resolve(name))));
    }

    /**
     * The naming rule for any folder, local or remote: the original name, else name.&lt;journalId&gt;.ext, else
     * name.&lt;journalId&gt;-n.ext, the first one {@code taken} says is free.
     */
    public static String freeName(String fileName, long journalId, Predicate<String> taken) {
        if (!taken.test(fileName)) {
            return fileName;
        }
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        String ext = dot > 0 ? fileName.substring(dot) : "";
        String candidate = base + "." + journalId + ext;
        for (int n = 2; taken.test(candidate); n++) {
            candidate = base + "." + journalId + "-" + n + ext;
        }
        return candidate;
    }

    /** Moves source to target (atomically when on one file system); if target was taken meanwhile, picks another free name. */
    public static synchronized Path move(Path source, Path target, long journalId) {
        try {
            Files.createDirectories(target.getParent());
            Path destination = target;
            for (int attempt = 0; ; attempt++) {
                try {
                    // No ATOMIC_MOVE: on Linux it would silently replace an existing target. A plain move refuses
                    // existing targets and is still a rename on one file system (copy + delete across file systems).
                    Files.move(source, destination);
                    return destination;
                } catch (FileAlreadyExistsException taken) {
                    if (attempt > 100) {
                        throw taken;
                    }
                    destination = freeName(target.getParent(), target.getFileName().toString(), journalId);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes the report next to an archived file as &lt;file&gt;.report.txt (never overwriting another report). */
    public static Path writeReport(Path archivedFile, String report, long journalId) {
        Path target = freeName(archivedFile.getParent(), archivedFile.getFileName() + ".report.txt", journalId);
        try {
            Files.writeString(target, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write report " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A name in dir for a file of journal row {@code journalId} whose report, &lt;name&gt;.report.txt, is free too: the
     * status monitor records it before moving anything, so a restart after a crash finds the same name again.
     */
    public static Path freeNameWithReport(Path dir, String fileName, long journalId) {
        Path candidate = freeName(dir, fileName, journalId);
        for (int n = 2; Files.exists(reportOf(candidate)); n++) {
            candidate = freeName(dir, suffixed(fileName, journalId + "-r" + n), journalId);
        }
        return candidate;
    }

    /** The report that belongs to an archived file. */
    public static Path reportOf(Path archivedFile) {
        return archivedFile.resolveSibling(archivedFile.getFileName() + ".report.txt");
    }

    /**
     * Writes (or rewrites, after a crash) the report of a file whose name was chosen with {@link #freeNameWithReport}:
     * written to a temporary name and renamed, so a report is never seen half written.
     */
    public static Path replaceReport(Path archivedFile, String report) {
        Path target = reportOf(archivedFile);
        Path partial = target.resolveSibling("." + target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
            Files.writeString(partial, report, StandardCharsets.UTF_8);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write report " + target + ": " + e.getMessage(), e);
        }
    }

    private static String suffixed(String fileName, String suffix) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) + "." + suffix + fileName.substring(dot) : fileName + "." + suffix;
    }
}
