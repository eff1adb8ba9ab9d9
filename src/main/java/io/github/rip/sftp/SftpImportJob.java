package io.github.rip.sftp;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import io.github.rip.importing.ImportFile;
import io.github.rip.importing.ImportJob;
import io.github.rip.importing.ImportRejectedException;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import io.github.rip.support.Sha256;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileComponent;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An import job whose inbox is a folder on an SFTP server (route template d365-sftp-import). The file is downloaded
 * to work/download/ and goes through the ordinary import steps; what happens to the remote file is decided here and
 * carried out by {@link SftpInbox} when the exchange completes: it leaves the server's inbox only once D365 accepted
 * it, or once it was rejected with its local failed/ copy and report written.
 *
 * <p>The journal records the remote file as {@code sftp://host:port/path (modified <mtime>)}. A remote file whose
 * origin, size and SHA-256 match a row past CLAIMED is one the job already finished (the runner died before moving it
 * on the server): it is only moved, never enqueued again and never reported as a duplicate of itself.
 */
public class SftpImportJob extends ImportJob {

    /** Exchange property: what {@link SftpInbox} does with the remote file when the exchange completes. */
    public static final String REMOTE_DISPOSITION = "ripRemoteDisposition";
    /** Exchange property: the remote file's origin as the journal records it. */
    public static final String REMOTE_ORIGIN = "ripRemoteOrigin";

    /** The remote file's fate: stays in the inbox, goes to sent/ (or is deleted), goes to failed/ (or is deleted). */
    public enum RemoteDisposition { KEEP, SENT, FAILED }

    private static final Logger LOG = LoggerFactory.getLogger(SftpImportJob.class);

    @Override
    public void claim(Exchange exchange) {
        exchange.setProperty(REMOTE_DISPOSITION, RemoteDisposition.KEEP);
        GenericFile<?> remote = exchange.getProperty(FileComponent.FILE_EXCHANGE_FILE, GenericFile.class);
        Path local = exchange.getMessage().getBody(File.class).toPath().toAbsolutePath();
        String fileName = local.getFileName().toString();
        if (size(local) != remote.getFileLength()) {
            // written to between the listing and the download: not complete after all
            LOG.info("{}: {} changed on the SFTP server while it was downloaded; it is taken once it stays unchanged",
                    getName(), fileName);
            exchange.setProperty(ImportFile.PROPERTY, ImportFile.deferred(this, local, fileName));
            return;
        }
        String origin = origin(exchange, remote);
        exchange.setProperty(REMOTE_ORIGIN, origin);
        Optional<ImportRecord> latest = journal.latest(getName(), fileName);
        if (latest.isPresent() && isSameFileAlreadyHandled(latest.get(), origin, local)) {
            exchange.setProperty(ImportFile.PROPERTY, ImportFile.resumed(this, local, fileName, latest.get().id()));
            return;
        }
        super.claim(exchange);
    }

    /** The same remote file (origin, size, content) as a row the job already took past CLAIMED. */
    private static boolean isSameFileAlreadyHandled(ImportRecord row, String origin, Path local) {
        return row.state() != State.CLAIMED && origin.equals(row.sourcePath()) && row.size() == size(local)
                && Sha256.of(local).equals(row.sha256());
    }

    @Override
    protected String sourceDescription(Exchange exchange, Path source) {
        String origin = exchange.getProperty(REMOTE_ORIGIN, String.class);
        return origin != null ? origin : super.sourceDescription(exchange, source);
    }

    /** The remote file's modification time (the local copy's is the download's). */
    @Override
    protected Instant contentModified(Exchange exchange, Path source) {
        GenericFile<?> remote = exchange.getProperty(FileComponent.FILE_EXCHANGE_FILE, GenericFile.class);
        return remote == null ? super.contentModified(exchange, source)
                : Instant.ofEpochMilli(remote.getLastModified());
    }

    /** A file the job already finished: complete the local archive if the crash left it undone, then settle it remotely. */
    @Override
    public void resume(Exchange exchange) {
        ImportRecord row = journal.find(ImportFile.of(exchange).getJournalId()).orElseThrow();
        if (row.state() == State.ENQUEUED && row.sentPath() != null && !Files.exists(Path.of(row.sentPath()))) {
            super.resume(exchange); // this download becomes the sent/ copy
        } else {
            LOG.info("{}: {} is still in the SFTP inbox but was already {} (journal row {}{}); moving it on the server "
                    + "only", getName(), row.fileName(), row.state(), row.id(),
                    row.messageId() == null ? "" : ", message " + row.messageId());
        }
        boolean rejectedHere = row.state() == State.FAILED && row.messageId() == null;
        exchange.setProperty(REMOTE_DISPOSITION, rejectedHere ? RemoteDisposition.FAILED : RemoteDisposition.SENT);
    }

    @Override
    public void enqueued(Exchange exchange) {
        super.enqueued(exchange);
        exchange.setProperty(REMOTE_DISPOSITION, RemoteDisposition.SENT);
    }

    @Override
    public void reject(Exchange exchange, ImportRejectedException error) {
        super.reject(exchange, error);
        exchange.setProperty(REMOTE_DISPOSITION, RemoteDisposition.FAILED);
    }

    /** {@code sftp://host:port/path (modified <mtime>)}: names one version of one remote file; no user, no secret. */
    static String origin(Exchange exchange, GenericFile<?> remote) {
        SftpEndpoint endpoint = (SftpEndpoint) exchange.getFromEndpoint();
        return origin(endpoint.getConfiguration().getHost(), endpoint.getConfiguration().getPort(),
                remote.getAbsoluteFilePath(), remote.getLastModified());
    }

    static String origin(String host, int port, String path, long modifiedMillis) {
        return "sftp://" + host + ":" + port + (path.startsWith("/") ? "" : "/~/") + path + " (modified "
                + Instant.ofEpochMilli(modifiedMillis) + ")";
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
