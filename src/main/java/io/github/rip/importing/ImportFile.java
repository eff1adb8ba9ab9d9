package io.github.rip.importing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file (or batch) on its way through an import job: what the job's steps, the shared pipeline
 * (d365-import-pipeline.camel.yaml) and the error handler share, in one exchange property instead of loose ones.
 * Created by {@link ImportJob#claim}.
 */
public final class ImportFile {

    /** The exchange property holding it. */
    public static final String PROPERTY = "ripImport";

    /** What the pipeline does with the file after the claim. */
    public enum Action { ENQUEUE, RESUME, DEFER }

    private static final Logger LOG = LoggerFactory.getLogger(ImportFile.class);

    private final ImportJob job;
    private final Path source;
    private final String fileName;
    private Path upload;
    private Path transformTarget;
    private Long journalId;
    private Action action = Action.ENQUEUE;
    private boolean prepared;
    private CompletableFuture<String> pendingHash;
    private String company;
    private String companySubfolder;

    ImportFile(ImportJob job, Path source, String fileName) {
        this.job = job;
        this.source = source;
        this.fileName = fileName;
        this.upload = source;
    }

    /** A file the job leaves where it is for now (not complete yet, or waiting for its retry time). */
    public static ImportFile deferred(ImportJob job, Path source, String fileName) {
        ImportFile file = new ImportFile(job, source, fileName);
        file.action = Action.DEFER;
        return file;
    }

    /** A file the journal already took past the enqueue: only its archiving is left. */
    public static ImportFile resumed(ImportJob job, Path source, String fileName, long journalId) {
        ImportFile file = new ImportFile(job, source, fileName);
        file.action = Action.RESUME;
        file.journalId = journalId;
        return file;
    }

    /** The file of this exchange, or null before the claim. */
    public static ImportFile of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, ImportFile.class);
    }

    public ImportJob getJob() {
        return job;
    }

    /** The consumed file (a batch folder for package batches): what is archived. */
    public Path getSource() {
        return source;
    }

    /** The name D365 and the archive see (a batch's is its folder name + .zip). */
    public String getFileName() {
        return fileName;
    }

    /** What is sent: the source, the XSLT result or the built package. */
    public Path getUpload() {
        return upload;
    }

    void setUpload(Path upload) {
        this.upload = upload;
    }

    /** Where the XSLT writes, or null. */
    public Path getTransformTarget() {
        return transformTarget;
    }

    void setTransformTarget(Path transformTarget) {
        this.transformTarget = transformTarget;
    }

    /** The journal row, or null while not claimed yet. */
    public Long getJournalId() {
        return journalId;
    }

    void setJournalId(long journalId) {
        this.journalId = journalId;
    }

    /** One of the job's folders for this file: in company subfolder mode, the file's subfolder of it (sent/usmf/). */
    public Path folder(String which) {
        Path folder = job.folder(which);
        return companySubfolder == null ? folder : folder.resolve(companySubfolder);
    }

    /** The file's name as the logs say it: with its company folder when it came from one (usmf/a.csv). */
    public String inboxName() {
        return companySubfolder == null ? fileName : companySubfolder + "/" + fileName;
    }

    /** The legal entity the file goes to ("" or null for none: the app's default company in D365). */
    public String getCompany() {
        return company;
    }

    /** The inbox subfolder the file came from (companyFrom: subfolder), kept in its archive paths; null if none. */
    public String getCompanySubfolder() {
        return companySubfolder;
    }

    void setCompany(CompanyRouting.Decision decision) {
        this.company = decision.company();
        this.companySubfolder = decision.subfolder();
    }

    public Action getAction() {
        return action;
    }

    void setAction(Action action) {
        this.action = action;
    }

    /** For the pipeline's choice (a boolean: an enum compared in simple goes through a type conversion per file). */
    public boolean isDeferred() {
        return action == Action.DEFER;
    }

    public boolean isResumed() {
        return action == Action.RESUME;
    }

    /**
     * Whether the job's XSLT still has to run: a stylesheet is set and this attempt has not prepared the upload yet (an
     * in-place retry of the enqueue repeats the pipeline, not the transform or the package build).
     */
    public boolean isTransformDue() {
        return !prepared && job.getSettings().getTransform() != null && !job.getSettings().getTransform().isBlank();
    }

    public boolean isPrepared() {
        return prepared;
    }

    void prepared() {
        this.prepared = true;
    }

    /** Drops what the attempt wrote to work/ (XSLT result, built package; partial or whole), never the source. */
    void deleteWork() {
        for (Path written : new Path[] {upload, transformTarget}) {
            if (written != null && !written.equals(source)) {
                try {
                    Files.deleteIfExists(written);
                } catch (IOException e) {
                    LOG.warn("Cannot delete temporary file {}: {}", written, e.getMessage());
                }
            }
        }
        prepared = false;
    }

    CompletableFuture<String> getPendingHash() {
        return pendingHash;
    }

    void setPendingHash(CompletableFuture<String> pendingHash) {
        this.pendingHash = pendingHash;
    }
}
