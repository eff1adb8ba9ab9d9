package io.github.rip.operations;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.rip.connector.D365Environments;
import io.github.rip.importing.ImportFile;
import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ExportRecord;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.JournalListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;

/**
 * The pack's Prometheus metrics, beside Camel's route metrics on /observe/metrics: per job, counted where states change
 * (the journals tell this {@link JournalListener}), so they agree with the journal. Counters start at 0 with the
 * runner (Prometheus' rate() and increase() handle the reset); the dashboard's 24-hour counts come from the journal.
 * <pre>
 * rip_import_files_total{job,event=taken|enqueued|processed|failed}     files, one event each
 * rip_import_retries_total{job}                                          new attempts after a transient failure
 * rip_import_uploaded_bytes_total{job}                                   bytes of the enqueues D365 accepted
 * rip_import_enqueue_latency_seconds{job}                                taken -> accepted by D365 (retries included)
 * rip_import_jobstatus_lag_seconds{job,outcome=processed|failed}         enqueued -> D365's final state seen
 * rip_export_messages_total{job,event=dequeued|redelivered|delivered|acked|failed|duplicate}
 * rip_d365_tokens_acquired_total                                         tokens obtained (renewals included)
 * rip_job_paused{job}                                                    1 while an operator has the job paused
 * </pre>
 */
public final class PackMetrics implements JournalListener {

    private static final Duration[] BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6)};

    private static final int REMEMBERED_ROWS = 10_000;

    /** What the counters need of a row in flight, so a change is counted without reading the row back each time. */
    private record ImportRow(String job, Instant createdAt) {
    }

    private final MeterRegistry registry;
    private final ImportJournal imports;
    private final ExportJournal exports;
    private final Map<Long, ImportRow> importRows = new ConcurrentHashMap<>();
    private final Map<Long, String> exportJobs = new ConcurrentHashMap<>();

    PackMetrics(MeterRegistry registry, ImportJournal imports, ExportJournal exports, D365Environments environments) {
        this.registry = registry;
        this.imports = imports;
        this.exports = exports;
        FunctionCounter.builder("rip.d365.tokens.acquired", environments, D365Environments::tokensAcquired)
                .description("Bearer tokens obtained from the token endpoints (first ones and renewals)")
                .register(registry);
    }

    /** Every job's meters at 0 from the start, so a dashboard shows 0 instead of nothing. */
    void register(JobCatalog.Job job, JobControls controls) {
        String name = job.name();
        if (job.isImport()) {
            for (String event : new String[] {"taken", "enqueued", "processed", "failed"}) {
                files(name, event);
            }
            retries(name);
            uploaded(name);
            enqueueLatency(name);
            lag(name, "processed");
            lag(name, "failed");
        } else {
            for (String event : new String[] {"dequeued", "redelivered", "delivered", "acked", "failed", "duplicate"}) {
                messages(name, event);
            }
        }
        Gauge.builder("rip.job.paused", controls, c -> c.isPaused(name) ? 1 : 0).tag("job", name)
                .description("1 while an operator has the job paused").register(registry);
    }

    @Override
    public void importChanged(ImportChange change, long id) {
        if (change == ImportChange.FINISHED) {
            // the status monitor's thread, off the files' path: the row says the outcome and its times
            importRows.remove(id);
            imports.find(id).ifPresent(row -> {
                String outcome = row.state() == ImportJournal.State.PROCESSED ? "processed" : "failed";
                files(row.job(), outcome).increment();
                record(lag(row.job(), outcome), row.enqueuedAt(), row.completedAt());
            });
            return;
        }
        ImportRow row = importRow(id);
        if (row == null) {
            return;
        }
        switch (change) {
            case CLAIMED -> files(row.job(), "taken").increment();
            case RETRIED -> retries(row.job()).increment();
            case ENQUEUED -> {
                files(row.job(), "enqueued").increment();
                record(enqueueLatency(row.job()), row.createdAt(), Instant.now());
            }
            case REJECTED -> {
                files(row.job(), "failed").increment();
                importRows.remove(id);
            }
            default -> { // WAITING: the journal's retry_at says when; the next attempt is counted as a retry
            }
        }
    }

    @Override
    public void exportChanged(ExportChange change, long id) {
        String job = exportJobs.get(id);
        if (job == null) {
            job = exports.find(id).map(ExportRecord::job).orElse(null);
            if (job == null) {
                return;
            }
            remember(exportJobs, id, job);
        }
        String event = switch (change) {
            case DEQUEUED -> "dequeued";
            case REDEQUEUED -> "redelivered";
            case DELIVERED -> "delivered";
            case DUPLICATE -> "duplicate";
            case ACKED -> "acked";
            case FAILED -> "failed";
            default -> null; // DOWNLOADED: a step on the way
        };
        if (event != null) {
            messages(job, event).increment();
        }
        if (change == ExportChange.ACKED || change == ExportChange.FAILED) {
            exportJobs.remove(id);
        }
    }

    /** The job and claim time of an import row: remembered from its first change on, read from the journal once. */
    private ImportRow importRow(long id) {
        ImportRow known = importRows.get(id);
        if (known == null) {
            known = imports.find(id).map(r -> new ImportRow(r.job(), r.createdAt())).orElse(null);
            if (known != null) {
                remember(importRows, id, known);
            }
        }
        return known;
    }

    /** Bounded: rows that wait for days are simply read again. */
    private static <V> void remember(Map<Long, V> rows, long id, V value) {
        if (rows.size() >= REMEMBERED_ROWS) {
            rows.clear();
        }
        rows.put(id, value);
    }

    /** Pipeline step after D365 accepted an enqueue: the bytes sent (the XSLT result or built package, as uploaded). */
    public void uploaded(Exchange exchange) {
        ImportFile file = ImportFile.of(exchange);
        Path upload = file == null || file.getJournalId() == null ? null : file.getUpload();
        File sent = upload == null ? null : upload.toFile();
        if (sent != null && sent.isFile()) {
            // the job's name from its journal row, not from the job: one meaning of "job" throughout
            ImportRow row = importRow(file.getJournalId());
            if (row != null) {
                uploaded(row.job()).increment(sent.length());
            }
        }
    }

    private Counter files(String job, String event) {
        return Counter.builder("rip.import.files").tag("job", job).tag("event", event)
                .description("Import files by event: taken from the inbox, enqueued (accepted by D365), processed, "
                        + "failed").register(registry);
    }

    private Counter retries(String job) {
        return Counter.builder("rip.import.retries").tag("job", job)
                .description("New attempts of files that waited after a transient failure").register(registry);
    }

    private Counter uploaded(String job) {
        return Counter.builder("rip.import.uploaded").baseUnit("bytes").tag("job", job)
                .description("Bytes of the enqueue requests D365 accepted").register(registry);
    }

    private Timer enqueueLatency(String job) {
        return Timer.builder("rip.import.enqueue.latency").tag("job", job).serviceLevelObjectives(BUCKETS)
                .description("From a file taken to its enqueue accepted by D365, retries included").register(registry);
    }

    private Timer lag(String job, String outcome) {
        return Timer.builder("rip.import.jobstatus.lag").tag("job", job).tag("outcome", outcome)
                .serviceLevelObjectives(BUCKETS)
                .description("From the enqueue to D365's final state, as the status monitor saw it").register(registry);
    }

    private Counter messages(String job, String event) {
        return Counter.builder("rip.export.messages").tag("job", job).tag("event", event)
                .description("Export messages by event: dequeued, redelivered by D365, delivered, acked, failed, "
                        + "duplicate (acked without delivering again)").register(registry);
    }

    private static void record(Timer timer, Instant from, Instant to) {
        if (from != null && to != null && !to.isBefore(from)) {
            timer.record(Duration.between(from, to));
        }
    }
}
