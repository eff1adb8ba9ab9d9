package io.github.rip.importing;

import java.time.ZoneId;
import java.util.TimeZone;

import io.github.rip.support.JobParameters;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.pollconsumer.quartz.QuartzScheduledPollConsumerScheduler;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * When an import job looks at its inbox: every {@code pollDelay} (Camel's own scheduler) by default, or, when the job
 * has a {@code cron}, only at that Quartz schedule's fire times in the job's {@code timeZone} (camel-quartz's poll
 * scheduler), as a RIS job's recurrence. Files that arrive in between wait in the inbox for the next fire.
 *
 * <p>The route templates hand this bean to their consumer ({@code scheduler: "#pollScheduler"}), because a template
 * cannot say {@code scheduler=quartz} only when a cron is given: the choice is made here, at the consumer's start.
 * The chosen scheduler is started when the consumer starts scheduling (this bean, being a template bean, may have been
 * started by Camel before the consumer existed).
 */
public class ImportPollScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler {

    /** Quartz trigger group of the import jobs' schedules; each trigger is named after its job. */
    public static final String TRIGGER_GROUP = "rip-import";

    private String jobName;
    private String cron = "";
    private String timeZone = "";
    private CamelContext camelContext;
    private ScheduledPollConsumerScheduler scheduler;

    @Override
    public void onInit(Consumer consumer) {
        if (scheduler != null) {
            return; // FileConsumer.doStart and ScheduledPollConsumer.doStart both initialise it
        }
        if (cron.isEmpty()) {
            ScheduledPollConsumer poller = (ScheduledPollConsumer) consumer;
            DefaultScheduledPollConsumerScheduler every = new DefaultScheduledPollConsumerScheduler();
            every.setDelay(poller.getDelay());
            every.setInitialDelay(poller.getInitialDelay());
            every.setTimeUnit(poller.getTimeUnit());
            every.setUseFixedDelay(poller.isUseFixedDelay());
            scheduler = every;
        } else {
            QuartzScheduledPollConsumerScheduler quartz = new QuartzScheduledPollConsumerScheduler();
            quartz.setCron(cron);
            quartz.setTimeZone(TimeZone.getTimeZone(timeZone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(timeZone)));
            quartz.setTriggerGroup(TRIGGER_GROUP);
            quartz.setTriggerId(jobName);
            scheduler = quartz;
        }
        scheduler.setCamelContext(camelContext);
        scheduler.onInit(consumer);
    }

    @Override
    public void scheduleTask(Runnable task) {
        scheduler.scheduleTask(task);
    }

    /** Also called for a consumer that never started (a route created but not started, as the one-off commands do). */
    @Override
    public void unscheduleTask() {
        if (scheduler != null) {
            scheduler.unscheduleTask();
        }
    }

    @Override
    public void startScheduler() {
        ServiceHelper.startService(scheduler);
        if (!scheduler.isSchedulerStarted()) {
            scheduler.startScheduler();
        }
    }

    @Override
    public boolean isSchedulerStarted() {
        return scheduler != null && scheduler.isSchedulerStarted();
    }

    /** A stopped route (paused job) gets a fresh scheduler when it starts again. */
    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopAndShutdownService(scheduler);
        scheduler = null;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    /** A Quartz cron (seconds minutes hours day-of-month month day-of-week), e.g. "0 0 * * * ?"; empty = every pollDelay. */
    public void setCron(String cron) {
        this.cron = JobParameters.checked(jobName, "cron", cron);
    }

    /** e.g. Europe/Berlin; empty = the runner's time zone. */
    public void setTimeZone(String timeZone) {
        this.timeZone = JobParameters.checked(jobName, "timeZone", timeZone);
    }
}
