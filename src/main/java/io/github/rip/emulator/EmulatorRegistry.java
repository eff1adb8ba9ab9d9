package io.github.rip.emulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The apps and recurring jobs the emulator knows right now: the configured ones plus those registered at runtime. */
final class EmulatorRegistry {

    private final Map<String, AppRegistration> apps = new ConcurrentHashMap<>();
    private final Map<String, RecurringJob> jobs = new ConcurrentHashMap<>();

    EmulatorRegistry(List<AppRegistration> configuredApps, List<RecurringJob> configuredJobs) {
        configuredApps.forEach(this::registerApp);
        configuredJobs.forEach(this::registerJob);
    }

    void registerApp(AppRegistration app) {
        apps.put(app.appId(), app);
    }

    void registerJob(RecurringJob job) {
        jobs.put(job.activityId(), job);
    }

    Optional<AppRegistration> app(String appId) {
        return appId == null ? Optional.empty() : Optional.ofNullable(apps.get(appId.trim().toLowerCase(Locale.ROOT)));
    }

    /** The job for any spelling of its activity id. */
    Optional<RecurringJob> job(String activityId) {
        return activityId == null ? Optional.empty() : Optional.ofNullable(jobs.get(Guids.canonical(activityId)));
    }

    /** Every job known now. */
    List<RecurringJob> jobs() {
        return List.copyOf(jobs.values());
    }

    /** Whether any recurring job's authorization policy enables the app. */
    boolean isEnabledOnAnyJob(String appId) {
        return jobs.values().stream().anyMatch(job -> job.isEnabledFor(appId));
    }

    /** Adds an app to a job's authorization policy. */
    void enableApp(String activityId, String appId) {
        RecurringJob job = job(activityId)
                .orElseThrow(() -> new IllegalArgumentException("No recurring job with activity id " + activityId));
        jobs.put(job.activityId(), job.withEnabledApp(appId));
    }
}
