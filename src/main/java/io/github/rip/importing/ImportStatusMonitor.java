package io.github.rip.importing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportJournal.State;
import io.github.rip.journal.ImportRecord;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The status monitor's steps: which messages to check, and what a jobstatus answer means for the archived file. */
public class ImportStatusMonitor {

    /** The journal row being checked (exchange property). */
    public static final String RECORD = "ripRecord";

    private static final Logger LOG = LoggerFactory.getLogger(ImportStatusMonitor.class);

    private final ImportJournal journal;
    private int batchSize = 100;

    public ImportStatusMonitor(ImportJournal journal) {
        this.journal = journal;
    }

    /** Enqueued messages whose file already sits in sent/ (a file still being moved is checked next round). */
    public List<ImportRecord> pending() {
        return journal.enqueued(batchSize).stream()
                .filter(r -> r.sentPath() != null && Files.exists(Path.of(r.sentPath())))
                .toList();
    }

    /** Applies a jobstatus answer (body): on a terminal state the file moves to processed/ or failed/ with a report. */
    public void apply(Exchange exchange) {
        ImportRecord record = exchange.getProperty(RECORD, ImportRecord.class);
        JobStatus status = JobStatus.parse(exchange.getMessage().getBody(String.class));
        if (!status.terminal()) {
            journal.statusChecked(record.id(), status.state());
            return;
        }
        Path sent = Path.of(record.sentPath());
        Path folder = Path.of(status.succeeded() ? record.processedDir() : record.failedDir());
        Path target = ArchiveFolder.move(sent, ArchiveFolder.freeName(folder, sent.getFileName().toString(), record.id()),
                record.id());
        State state = status.succeeded() ? State.PROCESSED : State.FAILED;
        journal.completed(record.id(), state, status.state(), summary(status), target.toString());
        ArchiveFolder.writeReport(target, ImportReport.completed(journal.find(record.id()).orElseThrow(), record.job(),
                status), record.id());
        if (status.succeeded()) {
            LOG.info("{}: {} processed by D365 (message {})", record.job(), record.fileName(), record.messageId());
        } else {
            LOG.warn("{}: {} failed in D365 with {} (message {}); see {}.report.txt", record.job(), record.fileName(),
                    status.state(), record.messageId(), target);
        }
    }

    /** A status check failed (network, 5xx, unknown message): remembered, checked again next round. */
    public void problem(Exchange exchange) {
        ImportRecord record = exchange.getProperty(RECORD, ImportRecord.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer status = caught instanceof TransientD365Exception t ? t.httpStatus()
                : caught instanceof ImportRejectedException r ? r.httpStatus() : null;
        journal.statusProblem(record.id(), status, "Status check failed: " + caught, record.d365State());
        journal.statusChecked(record.id(), null);
        LOG.warn("{}: status check of message {} failed, will retry: {}", record.job(), record.messageId(),
                caught == null ? "?" : caught.getMessage());
    }

    /** The jobstatus answer for D365 API callers: body when 200, an exception otherwise. */
    public String requireOk(Exchange exchange) {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        if (code != 200) {
            throw D365Responses.failure("jobstatus", code, body, exchange.getMessage().getHeader("Retry-After", String.class));
        }
        return body;
    }

    private static String summary(JobStatus status) {
        StringBuilder s = new StringBuilder(status.state());
        for (JobStatus.EntityStatus e : status.entities()) {
            s.append("; ").append(e.entityName()).append(": ").append(e.targetRecords()).append(" imported, ")
                    .append(e.stagingErrors() + e.targetErrors()).append(" errors");
        }
        return s.toString();
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
