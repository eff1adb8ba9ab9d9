package io.github.rip.importing;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rip.connector.BlobUrl;
import io.github.rip.connector.D365Call;
import io.github.rip.connector.D365RefusedException;
import io.github.rip.connector.ODataValue;
import io.github.rip.journal.ImportJournal;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A package job that imports through the data management package API instead of a recurring data job's queue: the
 * same inbox, claim, package build / check, journal, archive and report as {@link PackageImportJob}; only the "enqueue"
 * is three calls (d365-package-api-import.camel.yaml, route {@code d365-package-api-upload}): GetAzureWriteUrl, the
 * package PUT to that blob URL (no bearer token), ImportFromPackage. The execution id it answers is the row's message
 * id; the status monitor asks GetExecutionSummaryStatus about it ({@link ImportJournal#PACKAGE_API} rows).
 */
public class PackageApiImportJob extends PackageImportJob {

    /** The blob URL of this attempt (exchange property; a secret: shown only masked). */
    static final String BLOB_URL = "ripBlobUrl";
    /** The execution id this attempt gives ImportFromPackage (exchange property). */
    static final String EXECUTION_ID = "ripExecutionId";

    private static final Logger LOG = LoggerFactory.getLogger(PackageApiImportJob.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private String definitionGroup = "";
    private boolean execute = true;
    private boolean overwrite = true;

    /**
     * First call of the upload: a blob URL to write the package to (every attempt asks for a new one). Before any
     * request leaves, the row is marked as the package API's, so the status monitor asks GetExecutionSummaryStatus.
     */
    @Override
    public void prepareEnqueue(Exchange exchange) {
        journal.packageApi(ImportFile.of(exchange).getJournalId());
        exchange.setProperty(D365Call.PROPERTY, D365Call.azureWriteUrl(UUID.randomUUID().toString()));
    }

    /** GetAzureWriteUrl answered {"BlobId","BlobUrl"} (as JSON text in value): the package goes there, no token. */
    public void writeUrlReceived(Exchange exchange) {
        String answer = exchange.getMessage().getBody(String.class);
        JsonNode result = ODataValue.json(answer);
        String url = result == null ? null : result.path("BlobUrl").asText(null);
        if (url == null || url.isBlank()) {
            throw new D365RefusedException("GetAzureWriteUrl answered without a BlobUrl", 200, BlobUrl.masked(answer));
        }
        ImportFile file = ImportFile.of(exchange);
        D365Call upload = D365Call.blobUpload(url, file.getUpload().toFile());
        exchange.setProperty(BLOB_URL, upload.path());
        exchange.setProperty(D365Call.PROPERTY, upload);
        LOG.debug("{}: uploading {} to {}", getName(), file.getFileName(), BlobUrl.masked(url));
    }

    /**
     * The package is in storage: ImportFromPackage with a new execution id. From the moment it leaves, D365 may run the
     * import, so the journal marks the request as sent (a lost answer counts a possible duplicate), as for an enqueue.
     */
    public void blobUploaded(Exchange exchange) {
        ImportFile file = ImportFile.of(exchange);
        long id = file.getJournalId();
        String executionId = executionId();
        exchange.setProperty(EXECUTION_ID, executionId);
        exchange.setProperty(D365Call.PROPERTY, D365Call.importFromPackage(exchange.getProperty(BLOB_URL, String.class),
                group(), executionId, execute, overwrite, file.getCompany(),
                () -> journal.requestSent(id), () -> journal.refused(id)));
    }

    /** ImportFromPackage answers the execution id (as given, or D365's own when it made one). */
    @Override
    protected String messageIdOf(Exchange exchange, String answer) {
        String value = ODataValue.text(answer);
        return value == null || value.isBlank() ? exchange.getProperty(EXECUTION_ID, String.class) : value.trim();
    }

    @Override
    public boolean isPackageApi() {
        return true;
    }

    /**
     * {@code <job>-<UTC time>-<random>}: readable in D365's job history, unique per attempt, at most 64 characters
     * (the journal's message id). A new attempt gets a new id: D365 keeps an execution id once used.
     */
    private String executionId() {
        String job = getName().replaceAll("[^A-Za-z0-9_-]", "");
        job = job.length() > 30 ? job.substring(0, 30) : job;
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return job + "-" + STAMP.format(LocalDateTime.now(ZoneOffset.UTC)) + "-" + HexFormat.of().formatHex(random);
    }

    private String group() {
        return definitionGroup.isBlank() ? getName() : definitionGroup;
    }

    /** The data project (definition group) packages are imported into; also written in built manifests. */
    @Override
    public void setDefinitionGroup(String definitionGroup) {
        String group = definitionGroup == null ? "" : definitionGroup.trim();
        if (group.length() > 64) {
            throw new IllegalArgumentException("Import job '" + getName() + "': definitionGroup '" + group + "' is "
                    + "longer than 64 characters; give the data project's name as D365 shows it");
        }
        super.setDefinitionGroup(group);
        this.definitionGroup = group;
    }

    /** true = D365 runs staging to target (ImportFromPackage's execute); false = staging only. */
    public void setExecute(String execute) {
        this.execute = io.github.rip.support.JobParameters.flag(getName(), "execute", execute);
    }

    /** ImportFromPackage's overwrite; must be false for a package with a composite entity. */
    public void setOverwrite(String overwrite) {
        this.overwrite = io.github.rip.support.JobParameters.flag(getName(), "overwrite", overwrite);
    }
}
