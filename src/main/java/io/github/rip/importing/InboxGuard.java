package io.github.rip.importing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.github.rip.journal.ImportRecord;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at a folder inbox before each poll (the file consumer's {@code pollStrategy}) for entries the job must not or
 * cannot take, and refuses each of them once: moved to failed/ with a report and a journal row, one ERROR line.
 * Camel's file consumer would otherwise follow a symbolic link ({@code ln -s /etc/passwd inbox/x.csv} uploaded
 * /etc/passwd), silently skip folders, pipes and names the JVM cannot decode, and fail on every poll for a name too
 * long for the archive's suffixes, without anybody being told.
 */
public class InboxGuard extends DefaultPollingConsumerPollStrategy {

    /**
     * Longest accepted name in UTF-8 bytes: file systems allow 255, and the archive adds up to ~30 (".&lt;row id&gt;" on a
     * name clash, ".report.txt", ".overdue.report.txt").
     */
    public static final int MAX_NAME_BYTES = 200;

    private static final Logger LOG = LoggerFactory.getLogger(InboxGuard.class);
    /** What the file templates exclude as still being written: never judged, the writer is not done. */
    private static final Pattern IN_PROGRESS = Pattern.compile(".*\\.(tmp|part|filepart|crdownload|partial)$");

    private ImportJob job;
    private Pattern include = Pattern.compile(".*");
    private boolean batchFolders;
    /** Entries refused but not movable (read-only inbox): reported once per runner life, not at every poll. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /** Said once at start: outside a UTF-8 locale the JVM cannot read non-ASCII file names, and the guard refuses them. */
    public static void warnIfNamesCannotBeDecoded() {
        String encoding = System.getProperty("sun.jnu.encoding", "");
        if (!encoding.replace("-", "").equalsIgnoreCase("UTF8")) {
            LOG.warn("File names are decoded as {} (the locale; LANG={}): files whose names hold other characters cannot "
                    + "be read and go to failed/. Start the runner with LANG=C.UTF-8 (or another UTF-8 locale).",
                    encoding, System.getenv().getOrDefault("LANG", "unset"));
        }
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        Path inbox = job.folder("inbox");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
            for (Path entry : entries) {
                String problem = problem(entry);
                if (problem != null) {
                    refuse(entry, problem);
                }
            }
        } catch (NoSuchFileException e) {
            // the consumer creates the inbox (autoCreate) on its first poll
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot look through {}: {}", job.getName(), inbox, e.toString());
        }
        return true;
    }

    /** Why the job refuses this inbox entry, or null when it is the consumer's to take (or not the job's at all). */
    String problem(Path entry) throws IOException {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") || IN_PROGRESS.matcher(name).matches()) {
            return null; // hidden or still being written: the consumer skips these too
        }
        BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory() && batchFolders) {
            return batchProblem(entry);
        }
        if (!include.matcher(name).matches()) {
            return null;
        }
        if (name.indexOf('\uFFFD') >= 0) {
            return "Its name is not valid in the runner's file name encoding (" + System.getProperty("sun.jnu.encoding")
                    + "), so it cannot be read by name. Start the runner in a UTF-8 locale (for example LANG=C.UTF-8) or "
                    + "rename the file; it was moved here under a readable name.";
        }
        if (attributes.isSymbolicLink()) {
            return linkProblem(entry);
        }
        if (attributes.isDirectory()) {
            return "It is a folder; this job takes files. Move the files it holds into the inbox itself.";
        }
        if (attributes.isOther()) {
            return "It is not a regular file (a named pipe, socket or device); only regular files are imported.";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            return "Its name is " + bytes + " bytes long; at most " + MAX_NAME_BYTES + " bytes (UTF-8) are accepted, so "
                    + "that the archive can add its suffixes (.report.txt) within the file system's 255-byte limit. "
                    + "Shorten the name and drop the file again.";
        }
        if (!Files.isReadable(entry)) {
            return "The runner's user cannot read it (permission denied). Give that user read access and drop the file "
                    + "again.";
        }
        return null;
    }

    private boolean linksAllowed() {
        return job.getSettings().isAllowLinks();
    }

    private String linkProblem(Path link) throws IOException {
        Path target = Files.readSymbolicLink(link);
        if (linksAllowed() && insideInbox(link) && Files.isRegularFile(link)) {
            return null;
        }
        return "It is a symbolic link (to " + target + "). Links are refused, so that nothing outside the inbox is sent "
                + "to D365" + (linksAllowed() ? "; this job allows only links to regular files inside its inbox." :
                "; a job may allow links that stay inside its inbox with allowLinks: true.");
    }

    /** A batch folder of a package job: its entity files must be regular files (no links out of the inbox). */
    private String batchProblem(Path folder) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink() && !(linksAllowed() && insideInbox(file) && Files.isRegularFile(file))) {
                    return "The batch holds a symbolic link, " + file.getFileName() + " (to "
                            + Files.readSymbolicLink(file) + "); links are refused so that nothing outside the inbox "
                            + "is sent to D365.";
                }
                if (a.isOther()) {
                    return "The batch holds " + file.getFileName() + ", which is not a regular file (a named pipe, "
                            + "socket or device).";
                }
            }
        }
        return null;
    }

    /** Whether a link, followed to the end, stays inside the inbox. */
    boolean insideInbox(Path link) {
        try {
            return link.toRealPath().startsWith(job.folder("inbox").toRealPath());
        } catch (IOException e) {
            return false; // dangling
        }
    }

    private void refuse(Path entry, String problem) throws IOException {
        BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String name = entry.getFileName().toString();
        String key = name + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
        if (reported.contains(key)) {
            return;
        }
        OptionalLong claimed = job.journal.claim(job.getName(), name, entry.toString(), a.size(),
                a.lastModifiedTime().toInstant(), null, job.getSettings().getActivityId(),
                job.folder("processed").toString(),
                job.folder("failed").toString());
        if (claimed.isEmpty()) {
            return; // another runner's guard is refusing it at this moment (or a file of that name is being imported)
        }
        long id = claimed.getAsLong();
        Path target;
        try {
            target = ArchiveFolder.move(entry, ArchiveFolder.freeName(job.folder("failed"), archiveName(name, id), id), id);
        } catch (RuntimeException e) {
            reported.add(key);
            job.journal.failed(id, null, problem + "\nIt could not be moved to failed/ either: " + e.getMessage(), null);
            LOG.error("{}: {} refused and left in the inbox ({}): {}", job.getName(), name, e.getMessage(),
                    problem.lines().findFirst().orElse(""));
            return;
        }
        job.journal.failed(id, null, problem, target.toString());
        ImportRecord row = job.journal.find(id).orElseThrow();
        Path report = ArchiveFolder.writeReport(target, ImportReport.rejected(row, job.getName(), problem, null, null), id);
        LOG.error("{}: {} refused ({}); moved to {} with report {}", job.getName(), name,
                problem.lines().findFirst().orElse(""), target, report.getFileName());
    }

    /** A name the archive can hold: undecodable characters replaced, cut to {@link #MAX_NAME_BYTES} keeping the extension. */
    static String archiveName(String name, long id) {
        String readable = name.replace('\uFFFD', '_');
        if (readable.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return readable;
        }
        int dot = readable.lastIndexOf('.');
        String ext = dot > 0 && readable.length() - dot <= 10 ? readable.substring(dot) : "";
        String marker = "~" + id + ext;
        StringBuilder cut = new StringBuilder();
        for (int i = 0; i < readable.length(); ) {
            int cp = readable.codePointAt(i);
            String next = new String(Character.toChars(cp));
            if ((cut + next + marker).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                break;
            }
            cut.append(next);
            i += Character.charCount(cp);
        }
        return cut + marker;
    }

    public void setJob(ImportJob job) {
        this.job = job;
    }

    public void setInclude(String include) {
        this.include = Pattern.compile(include);
    }

    /** Package jobs: folders in the inbox are batches, checked for links and special files instead of refused. */
    public void setBatchFolders(boolean batchFolders) {
        this.batchFolders = batchFolders;
    }
}
