package io.github.rip.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the archived files (and their {@code .report.txt}) that arrived in an import job's processed/ or failed/
 * folder before a cutoff. Only the entries directly in a folder named processed or failed are considered: a folder
 * that is a symbolic link is not followed, a link in it is deleted as a link (never its target), and sub-folders (a
 * folder refused from the inbox) are left alone.
 *
 * <p>When a file arrived: a move into the folder keeps the file's modification time (a file written months ago and
 * imported today would look old), so the newest of its modification time, its status-change time (which the move sets,
 * where the file system has one: Linux, macOS) and its report's modification time (written on arrival) counts.
 */
final class ArchivePurge {

    private static final List<String> ARCHIVES = List.of("processed", "failed");
    private static final String REPORT = ".report.txt";
    private static final boolean HAS_CTIME = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final Logger LOG = LoggerFactory.getLogger(ArchivePurge.class);

    private final Instant cutoff;

    ArchivePurge(Instant cutoff) {
        this.cutoff = cutoff;
    }

    /** Purges each job's folders (a folder listed for two jobs once) and returns the deleted files per job. */
    Map<String, Integer> purge(Map<String, ? extends Iterable<Path>> foldersByJob) {
        Map<String, Integer> deleted = new TreeMap<>();
        Set<Path> done = new HashSet<>();
        foldersByJob.forEach((job, folders) -> {
            for (Path folder : folders) {
                Path absolute = folder.toAbsolutePath().normalize();
                if (done.add(absolute)) {
                    int count = purgeFolder(job, absolute);
                    if (count > 0) {
                        deleted.merge(job, count, Integer::sum);
                    }
                }
            }
        });
        return deleted;
    }

    private int purgeFolder(String job, Path folder) {
        if (folder.getFileName() == null || !ARCHIVES.contains(folder.getFileName().toString())) {
            LOG.warn("{}: {} is not a processed/ or failed/ folder; retention leaves it alone", job, folder);
            return 0;
        }
        if (Files.isSymbolicLink(folder)) {
            LOG.warn("{}: {} is a symbolic link; retention does not follow links, its files are kept", job, folder);
            return 0;
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int count = 0;
        int failures = 0;
        String firstFailure = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Path report = folder.resolve(name + REPORT);
                if (name.endsWith(REPORT) && isFile(folder.resolve(name.substring(0, name.length() - REPORT.length())))) {
                    continue; // goes with its file
                }
                try {
                    if (!isFile(entry) || !arrivedBefore(entry) || isFile(report) && !arrivedBefore(report)) {
                        continue;
                    }
                    count += delete(entry) + (isFile(report) ? delete(report) : 0);
                } catch (IOException e) {
                    failures++;
                    firstFailure = firstFailure != null ? firstFailure : entry + ": " + e;
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: cannot list {} for retention: {}", job, folder, e.toString());
        }
        if (failures > 0) {
            LOG.warn("{}: {} archived files in {} could not be deleted by retention (first: {})", job, failures, folder,
                    firstFailure);
        }
        return count;
    }

    /** A regular file or a symbolic link (the link itself): what the runner archives. */
    private static boolean isFile(Path entry) {
        return Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(entry);
    }

    private boolean arrivedBefore(Path entry) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Instant arrived = attributes.lastModifiedTime().toInstant();
        if (HAS_CTIME) {
            Instant changed = ((FileTime) Files.getAttribute(entry, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toInstant();
            arrived = changed.isAfter(arrived) ? changed : arrived;
        }
        return arrived.isBefore(cutoff);
    }

    private static int delete(Path entry) throws IOException {
        try {
            Files.delete(entry);
            return 1;
        } catch (NoSuchFileException gone) {
            return 0;
        }
    }
}
