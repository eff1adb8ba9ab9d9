package io.github.rip.operations;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.rip.journal.ExportJournal;
import io.github.rip.journal.ExportRecord;
import io.github.rip.journal.ImportJournal;
import io.github.rip.journal.ImportRecord;
import io.github.rip.journal.JournalGrid;
import io.github.rip.journal.OperatorJournal;
import io.github.rip.journal.Runners;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's JSON API, called by the REST routes of operations-dashboard.camel.yaml (the page uses nothing else):
 * reads answer 200 with JSON; actions answer 200/202 when done and 409 when refused, and are all journaled with the
 * actor the {@link HttpGuard} set. Every answer drops the request's headers (Authorization included) first.
 */
public final class DashboardApi {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardApi.class);
    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final int MAX_PAGE_SIZE = 200;

    private final DashboardAccess access;
    private final JobCatalog catalog;
    private final JobView jobView;
    private final JobControls controls;
    private final MessageActions actions;
    private final JournalGrid grid;
    private final ImportJournal imports;
    private final ExportJournal exports;
    private final OperatorJournal operators;
    private final Runners runners;

    DashboardApi(DashboardAccess access, JobCatalog catalog, JobView jobView, JobControls controls,
                 MessageActions actions, JournalGrid grid, ImportJournal imports, ExportJournal exports,
                 OperatorJournal operators, Runners runners) {
        this.runners = runners;
        this.access = access;
        this.catalog = catalog;
        this.jobView = jobView;
        this.controls = controls;
        this.actions = actions;
        this.grid = grid;
        this.imports = imports;
        this.exports = exports;
        this.operators = operators;
    }

    /** The page's files, from the classpath (dashboard/); nothing else is served this way. */
    public void asset(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "/", String.class).replaceFirst("\\?.*$", "");
        String path = uri.equals("/") ? "/index.html" : uri;
        String type = path.endsWith(".html") ? "text/html; charset=utf-8" : path.endsWith(".js")
                ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        byte[] content = PageAssets.get(path);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, content == null ? 404 : 200);
        out.setHeader(Exchange.CONTENT_TYPE, content == null ? "text/plain; charset=utf-8" : type);
        out.setBody(content == null ? "Not found" : content);
    }

    /** Who is logged in, how, and the token POST requests must carry. */
    public void session(Exchange exchange) {
        answer(exchange, () -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("actor", actor(exchange));
            out.put("login", access.scheme());
            out.put("csrfToken", access.csrfToken());
            out.put("csrfHeader", HttpGuard.CSRF_HEADER);
            out.put("now", Instant.now().toString());
            return out;
        });
    }

    /** Every job, and the runners sharing the journal (several on PostgreSQL): who is alive, who answered. */
    public void jobs(Exchange exchange) {
        answer(exchange, () -> Map.of("now", Instant.now().toString(), "jobs", jobView.all(),
                "runners", runners.all().stream().map(r -> Map.of("node", r.nodeId(), "lastSeen",
                        r.lastSeen().toString(), "alive", r.alive(), "self", r.self())).toList()));
    }

    public void oneJob(Exchange exchange) {
        answer(exchange, () -> jobView.one(requireJob(exchange)));
    }

    /** A job's messages, newest first: ?state=FAILED&q=text&page=1&size=50. */
    public void messages(Exchange exchange) {
        answer(exchange, () -> {
            JobCatalog.Job job = requireJob(exchange);
            List<String> states = job.isImport() ? MessageView.IMPORT_STATES : MessageView.EXPORT_STATES;
            String state = text(exchange, "state");
            if (state != null && !states.contains(state)) {
                throw new ApiException(400, "state: '" + state + "' is not one of " + String.join(", ", states));
            }
            int size = number(exchange, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
            int page = number(exchange, "page", 1, 1, JournalGrid.COUNT_CAP);
            JournalGrid.Filter filter = new JournalGrid.Filter(state, text(exchange, "q"), (page - 1) * size, size);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("job", job.name());
            out.put("kind", job.isImport() ? "import" : "export");
            out.put("states", states);
            out.put("page", page);
            out.put("size", size);
            if (job.isImport()) {
                JournalGrid.Page<ImportRecord> rows = grid.imports(job.name(), filter);
                out.put("total", rows.total());
                out.put("totalCapped", rows.totalCapped());
                out.put("searchLimited", rows.searchLimited());
                out.put("rows", rows.rows().stream().map(MessageView::row).toList());
            } else {
                JournalGrid.Page<ExportRecord> rows = grid.exports(job.name(), filter);
                out.put("total", rows.total());
                out.put("totalCapped", rows.totalCapped());
                out.put("searchLimited", rows.searchLimited());
                out.put("rows", rows.rows().stream().map(MessageView::row).toList());
            }
            return out;
        });
    }

    /** One message with its report and D365's raw answer. */
    public void message(Exchange exchange) {
        answer(exchange, () -> {
            JobCatalog.Job job = requireJob(exchange);
            return job.isImport() ? MessageView.detail(importRow(exchange, job))
                    : MessageView.detail(exportRow(exchange, job), job.jobFolder());
        });
    }

    /** The job's recent operator actions, newest first. */
    public void actions(Exchange exchange) {
        answer(exchange, () -> operators.actions(requireJob(exchange).name(), 50).stream().map(a -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("at", JobView.time(a.at()));
            out.put("actor", a.actor());
            out.put("action", a.action());
            out.put("messageRow", a.journalId());
            out.put("outcome", a.outcome());
            out.put("detail", a.detail());
            return out;
        }).toList());
    }

    public void pause(Exchange exchange) {
        act(exchange, "pause", null, job -> controls.pause(job, actor(exchange)));
    }

    public void resume(Exchange exchange) {
        act(exchange, "resume", null, job -> controls.resume(job, actor(exchange)));
    }

    public void run(Exchange exchange) {
        act(exchange, "run-now", null, job -> controls.runNow(job, actor(exchange)));
    }

    public void retry(Exchange exchange) {
        act(exchange, "retry", id(exchange), job -> {
            if (!job.isImport()) {
                return ActionResult.refused("Export messages come from D365's queue; they cannot be retried here");
            }
            return actions.retry(job, importRow(exchange, job));
        });
    }

    public void checkStatus(Exchange exchange) {
        act(exchange, "check-status", id(exchange), job -> {
            if (!job.isImport()) {
                return ActionResult.refused("Only import messages have a D365 status to check");
            }
            return actions.checkStatus(importRow(exchange, job));
        });
    }

    private interface Action {
        ActionResult on(JobCatalog.Job job);
    }

    private void act(Exchange exchange, String name, Long journalId, Action action) {
        answer(exchange, () -> {
            JobCatalog.Job job = requireJob(exchange);
            ActionResult result = action.on(job);
            operators.record(actor(exchange), job.name(), name, journalId, result.outcome(), result.message());
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, result.status());
            return Map.of("outcome", result.outcome(), "message", result.message());
        });
    }

    private JobCatalog.Job requireJob(Exchange exchange) {
        String name = text(exchange, "job");
        return catalog.job(name).orElseThrow(() -> new ApiException(404, "No job named '" + name + "'"));
    }

    private ImportRecord importRow(Exchange exchange, JobCatalog.Job job) {
        long id = id(exchange);
        return imports.find(id).filter(row -> row.job().equals(job.name()))
                .orElseThrow(() -> new ApiException(404, "Job " + job.name() + " has no message " + id));
    }

    private ExportRecord exportRow(Exchange exchange, JobCatalog.Job job) {
        long id = id(exchange);
        return exports.find(id).filter(row -> row.job().equals(job.name()))
                .orElseThrow(() -> new ApiException(404, "Job " + job.name() + " has no message " + id));
    }

    private static long id(Exchange exchange) {
        try {
            return Long.parseLong(String.valueOf(exchange.getMessage().getHeader("id")));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "The message id must be a number");
        }
    }

    private static String actor(Exchange exchange) {
        String actor = exchange.getMessage().getHeader(HttpGuard.ACTOR_HEADER, String.class);
        return actor == null || actor.isBlank() ? "unknown" : actor;
    }

    private static String text(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int number(Exchange exchange, String name, int defaultValue, int min, int max) {
        String value = text(exchange, name);
        try {
            int number = value == null ? defaultValue : Integer.parseInt(value);
            if (number < min || number > max) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new ApiException(400, name + ": '" + value + "' is not a whole number from " + min + " to " + max);
        }
    }

    /** Runs the request and writes the JSON answer: 200 unless set; ApiException -> its status; else 500. */
    private static void answer(Exchange exchange, Supplier<Object> work) {
        Object body;
        Integer status = null;
        try {
            body = work.get();
            status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        } catch (ApiException e) {
            body = Map.of("error", e.getMessage());
            status = e.status();
        } catch (RuntimeException e) {
            LOG.warn("Dashboard API {} failed", exchange.getMessage().getHeader(Exchange.HTTP_URI), e);
            body = Map.of("error", "The runner could not answer: " + JobFailures.firstLine(e.getMessage())
                    + " (details in its log)");
            status = 500;
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*"); // nothing of the request (Authorization, cookies) goes back
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status == null ? 200 : status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        out.setBody(Json.write(body));
    }
}
