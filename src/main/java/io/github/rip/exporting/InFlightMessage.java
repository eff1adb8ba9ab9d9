package io.github.rip.exporting;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The export message the poll is working on, kept in exchange property {@code ripExport} from dequeue to ack. The
 * connector routes read the download path, query and the dequeue JSON (for the ack) from here.
 */
public final class InFlightMessage {

    /** A file ready to deliver: where it is now, the name it gets at the target, its name in the package. */
    public record StagedFile(Path path, String deliveredName, String entryName) {
    }

    private final DequeueResponse dequeue;
    private final long journalId;
    private final Instant firstDequeue;
    private final Path workDir;
    private DownloadLocation location;
    private String sha256;
    private long size;
    private String packageName;
    private final List<StagedFile> files = new ArrayList<>();
    private final List<String> delivered = new ArrayList<>();

    InFlightMessage(DequeueResponse dequeue, long journalId, Instant firstDequeue, Path workDir) {
        this.dequeue = dequeue;
        this.journalId = journalId;
        this.firstDequeue = firstDequeue;
        this.workDir = workDir;
    }

    public DequeueResponse dequeue() {
        return dequeue;
    }

    public String getCorrelationId() {
        return dequeue.correlationId();
    }

    /** The body of the ack: the dequeue answer exactly as D365 sent it (docs/d365-api.md §1.3). */
    public String getDequeueJson() {
        return dequeue.json();
    }

    public long journalId() {
        return journalId;
    }

    public Instant firstDequeue() {
        return firstDequeue;
    }

    /** This message's scratch folder under the job's work/ folder; deleted when the message is done. */
    public Path workDir() {
        return workDir;
    }

    /** Where the package is streamed to while downloading. */
    public Path getPackagePath() {
        return workDir.resolve("package.download");
    }

    public DownloadLocation location() {
        return location;
    }

    void location(DownloadLocation location) {
        this.location = location;
    }

    /** The download's path relative to the D365 base URL (for CamelHttpPath). */
    public String getDownloadPath() {
        return location.path();
    }

    /** The download's raw query (for CamelHttpQuery). */
    public String getDownloadQuery() {
        return location.query();
    }

    public String sha256() {
        return sha256;
    }

    public long size() {
        return size;
    }

    /** The file name D365 gave the package (Content-Disposition), null if none. */
    public String packageName() {
        return packageName;
    }

    void downloaded(String sha256, long size, String packageName) {
        this.sha256 = sha256;
        this.size = size;
        this.packageName = packageName;
    }

    public List<StagedFile> files() {
        return files;
    }

    /** For the YAML loops: how many files there are to transform and deliver. */
    public int getFileCount() {
        return files.size();
    }

    /** Names delivered so far, in order. */
    public List<String> delivered() {
        return delivered;
    }
}
