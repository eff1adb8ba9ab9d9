package io.github.rip.importing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.github.rip.journal.ImportRecord;
import io.github.rip.journal.JournalCompany;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at a folder inbox before each poll (the file consumer's {@code pollStrategy}) for entries the job must not or
 * cannot take, and refuses each of them once: moved to failed/ with a report and a journal row, one ERROR line.
 * Camel's file consumer would otherwise follow a symbolic link ({@code ln -s /etc/passwd inbox/x.csv} uploaded
 * /etc/passwd), silently skip folders, pipes and names the JVM cannot decode, and fail on every poll for a name too
 * long for the archive's suffixes, without anybody being told.
 *
 * <p>With {@code companyFrom: subfolder} the inbox holds one folder per legal entity (inbox/USMF/): the guard looks
 * into those the same way, refuses any other folder, and as the consumer's {@code filter} lets the consumer (which
 * looks two levels deep) into company folders only.
 */
public class InboxGuard extends DefaultPollingConsumerPollStrategy implements GenericFileFilter<File> {

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
                } else if (isCompanyFolder(entry)) {
                    lookInto(entry);
                }
            }
        } catch (NoSuchFileException e) {
            // the consumer creates the inbox (autoCreate) on its first poll
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot look through {}: {}", job.getName(), inbox, e.toString());
        }
        return true;
    }

    /** The files of a company folder (inbox/USMF/), judged as those of the inbox; folders in it are refused. */
    private void lookInto(Path companyFolder) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(companyFolder)) {
            for (Path entry : entries) {
                String problem = problem(entry);
                if (problem != null) {
                    refuse(entry, problem);
                }
            }
        }
    }

    /** The consumer's filter: into a folder only if it is a company folder; files are the include pattern's. */
    @Override
    public boolean accept(GenericFile<File> file) {
        return !file.isDirectory() || isCompanyFolder(file.getFile().toPath().toAbsolutePath());
    }

    /** A folder directly in the inbox named like a legal entity, when the job takes the company from the subfolder. */
    private boolean isCompanyFolder(Path entry) {
        return companySubfolders()
                && job.folder("inbox").normalize().equals(entry.toAbsolutePath().normalize().getParent())
                && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                && CompanyRouting.LEGAL_ENTITY.matcher(entry.getFileName().toString()).matches();
    }

    private boolean companySubfolders() {
        return job.getSettings().getCompanyRouting().isSubfolders();
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
        if (attributes.isDirectory() && isCompanyFolder(entry)) {
            return null; // its files are judged one by one (lookInto)
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
            return !companySubfolders() ? "It is a folder; this job takes files. Move the files it holds into the "
                    + "inbox itself." : "It is a folder, but not a company folder directly in the inbox: this job takes "
                    + "files from inbox/ and from inbox/<company>/, where <company> is a legal entity id (up to four "
                    + "letters or digits), e.g. inbox/USMF/.";
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
        // an entry of a company folder is archived in that folder's name (failed/USMF/), claimed as that company's
        String companyFolder = job.folder("inbox").equals(entry.getParent()) ? null
                : entry.getParent().getFileName().toString();
        Path failed = companyFolder == null ? job.folder("failed") : job.folder("failed").resolve(companyFolder);
        JournalCompany company = JournalCompany.of(companyFolder == null ? null
                : companyFolder.toUpperCase(Locale.ROOT), job.getSettings().getCompanyRouting().isPerFile());
        OptionalLong claimed = job.journal.claim(job.getName(), company, name, entry.toString(), a.size(),
                a.lastModifiedTime().toInstant(), null, job.getSettings().getActivityId(),
                companyFolder == null ? job.folder("processed").toString()
                        : job.folder("processed").resolve(companyFolder).toString(), failed.toString());
        if (claimed.isEmpty()) {
            return; // another runner's guard is refusing it at this moment (or a file of that name is being imported)
        }
        long id = claimed.getAsLong();
        Path target;
        try {
            target = ArchiveFolder.move(entry, ArchiveFolder.freeName(failed, archiveName(name, id), id), id);
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
