package io.github.rip.operations;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.rip.sftp.SftpTarget;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health check "sftp:host:port", one per SFTP server the jobs use: DOWN while an SFTP import job's poll of that server
 * fails, or an export job's last delivery to it failed for an SFTP reason, with the job's own words (host key, login,
 * unreachable ...). Reads what the jobs saw; it opens no connection of its own.
 */
final class SftpServerCheck extends AbstractHealthCheck {

    private final String server;
    private final List<JobCatalog.Job> jobs;
    private final JobCatalog catalog;
    private final JobFailures failures;

    private SftpServerCheck(String server, List<JobCatalog.Job> jobs, JobCatalog catalog, JobFailures failures) {
        super("sftp:" + server);
        this.server = server;
        this.jobs = jobs;
        this.catalog = catalog;
        this.failures = failures;
    }

    /** One check per server, for the jobs that read from or deliver to it. */
    static List<SftpServerCheck> of(JobCatalog catalog, JobFailures failures) {
        Map<String, List<JobCatalog.Job>> byServer = new LinkedHashMap<>();
        for (JobCatalog.Job job : catalog.jobs()) {
            serverOf(catalog, job).ifPresent(server -> byServer.computeIfAbsent(server, s -> new ArrayList<>()).add(job));
        }
        List<SftpServerCheck> checks = new ArrayList<>();
        byServer.forEach((server, jobs) -> checks.add(new SftpServerCheck(server, jobs, catalog, failures)));
        return checks;
    }

    private static Optional<String> serverOf(JobCatalog catalog, JobCatalog.Job job) {
        if (job.isImport()) {
            return catalog.route(job) != null && catalog.route(job).getEndpoint() instanceof SftpEndpoint sftp
                    ? Optional.of(sftp.getConfiguration().getHost() + ":" + sftp.getConfiguration().getPort())
                    : Optional.empty();
        }
        if (!"sftp".equalsIgnoreCase(job.source()) || job.location() == null) {
            return Optional.empty();
        }
        try {
            URI target = URI.create(job.location().replaceFirst("^(?i)sftp:(?!//)", "sftp://"));
            return Optional.ofNullable(target.getHost()).map(host -> host + ":" + (target.getPort() < 0 ? 22
                    : target.getPort()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("server", server);
        builder.detail("jobs", String.join(",", jobs.stream().map(JobCatalog.Job::name).toList()));
        List<String> problems = new ArrayList<>();
        for (JobCatalog.Job job : jobs) {
            if (job.isImport()) {
                JobFailures.consumer(catalog.route(job), job.name()).ifPresent(f -> problems.add(f.message()));
            } else {
                failures.exportPoll(job.routeId()).flatMap(f -> SftpTarget.describe(f.error(), job.name(),
                        job.location())).ifPresent(problems::add);
            }
        }
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.down().message(String.join("; ", problems));
        }
    }
}
