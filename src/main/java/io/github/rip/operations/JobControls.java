package io.github.rip.operations;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.rip.journal.OperatorJournal;
import io.github.rip.journal.OperatorJournal.JobControl;
import io.github.rip.support.TemplatedRouteCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pause, resume and "run now" for every template, stored in the journal so a pause survives a restart. A paused job's
 * consumer is suspended (its route stays started, so health stays UP): an import job leaves new files in its inbox
 * (the file in hand finishes), an export job's Quartz trigger is paused and its running poll stops after the message in
 * hand (the d365-export loop asks {@link #isRunning}). After a restart, a job paused before never polls: its polling
 * consumer starts without its scheduler, a Quartz job is paused right after the start (before its first fire).
 */
public final class JobControls {

    private static final Logger LOG = LoggerFactory.getLogger(JobControls.class);

    private final CamelContext context;
    private final JobCatalog catalog;
    private final OperatorJournal operators;
    private final Map<String, JobControl> controls = new ConcurrentHashMap<>();

    JobControls(CamelContext context, JobCatalog catalog, OperatorJournal operators) {
        this.context = context;
        this.catalog = catalog;
        this.operators = operators;
        operators.controls().forEach(control -> controls.put(control.job(), control));
    }

    public boolean isPaused(String job) {
        JobControl control = job == null ? null : controls.get(job);
        return control != null && control.paused();
    }

    /** For the export template's loop: false once the job is paused, so a running poll stops after its message. */
    public boolean isRunning(String job) {
        return !isPaused(job);
    }

    public Optional<JobControl> control(String job) {
        return Optional.ofNullable(job == null ? null : controls.get(job));
    }

    ActionResult pause(JobCatalog.Job job, String actor) {
        if (isPaused(job.name())) {
            return ActionResult.refused("Job " + job.name() + " is already paused");
        }
        store(job, true, actor);
        suspend(catalog.route(job));
        LOG.info("Job '{}' paused by {} (from the dashboard)", job.name(), actor);
        return ActionResult.done(job.isImport() ? "Paused: new files stay in the inbox; a file already taken finishes"
                : "Paused: no more dequeues; a poll in progress stops after the message in hand");
    }

    ActionResult resume(JobCatalog.Job job, String actor) {
        if (!isPaused(job.name())) {
            return ActionResult.refused("Job " + job.name() + " is not paused");
        }
        store(job, false, actor);
        Route route = catalog.route(job);
        Consumer consumer = route == null ? null : route.getConsumer();
        if (consumer != null) {
            ServiceHelper.resumeService(consumer);
            if (consumer instanceof ScheduledPollConsumer polling && !polling.isSchedulerStarted()) {
                polling.startScheduler(); // paused since the start: its scheduler never ran
            }
        }
        LOG.info("Job '{}' resumed by {} (from the dashboard)", job.name(), actor);
        return ActionResult.done("Resumed");
    }

    /** An export poll now (Quartz fires the job's trigger once more); refused while paused or while it polls. */
    ActionResult runNow(JobCatalog.Job job, String actor) {
        if (job.isImport()) {
            return ActionResult.refused("Run now is for export jobs; import jobs take files as they arrive");
        }
        if (isPaused(job.name())) {
            return ActionResult.refused("Job " + job.name() + " is paused; resume it first");
        }
        Route route = catalog.route(job);
        if (route == null || !(route.getEndpoint() instanceof QuartzEndpoint quartz)) {
            return ActionResult.refused("Job " + job.name() + " has no schedule to fire");
        }
        try {
            Scheduler scheduler = quartz.getComponent().getScheduler();
            Trigger trigger = scheduler.getTrigger(quartz.getTriggerKey());
            if (trigger == null) {
                return ActionResult.refused("Job " + job.name() + " is not scheduled (yet)");
            }
            for (JobExecutionContext running : scheduler.getCurrentlyExecutingJobs()) {
                if (running.getJobDetail().getKey().equals(trigger.getJobKey())) {
                    return ActionResult.refused("Job " + job.name() + " is polling right now");
                }
            }
            scheduler.triggerJob(trigger.getJobKey());
        } catch (SchedulerException e) {
            return ActionResult.refused("Quartz refused to fire the job: " + e.getMessage());
        }
        LOG.info("Job '{}': poll started by {} (run now, from the dashboard)", job.name(), actor);
        return ActionResult.accepted("Polling now");
    }

    private void store(JobCatalog.Job job, boolean paused, String actor) {
        operators.setPaused(job.name(), paused, actor);
        operators.control(job.name()).ifPresent(control -> controls.put(job.name(), control));
    }

    private static void suspend(Route route) {
        if (route != null && route.getConsumer() != null) {
            ServiceHelper.suspendService(route.getConsumer());
        }
    }

    /** After the start: the consumers of paused jobs are suspended (a Quartz trigger fires 500 ms after the start). */
    void suspendPausedJobs() {
        for (JobCatalog.Job job : catalog.jobs()) {
            if (isPaused(job.name())) {
                suspend(catalog.route(job));
                JobControl control = controls.get(job.name());
                LOG.warn("Job '{}' is PAUSED (by {} at {}); resume it on the dashboard", job.name(),
                        control.changedBy(), control.changedAt());
            }
        }
    }

    /** Keeps the scheduler of a paused polling job from starting with its route (no poll at all after a restart). */
    RoutePolicyFactory pausedAtStart() {
        return new RoutePolicyFactory() {
            @Override
            public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
                return new RoutePolicySupport() {
                    @Override
                    public void onStart(Route started) {
                        if (started.getConsumer() instanceof ScheduledPollConsumer polling
                                && isPaused(jobOfRoute(started.getRouteId()))) {
                            polling.setStartScheduler(false);
                        }
                    }
                };
            }
        };
    }

    private String jobOfRoute(String routeId) {
        TemplatedRouteCheck check = TemplatedRouteCheck.of(context);
        return check == null ? null : check.jobs().stream().filter(job -> routeId.equals(job.routeId()))
                .map(TemplatedRouteCheck.Job::jobName).findFirst().orElse(null);
    }
}
