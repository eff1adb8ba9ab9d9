package io.github.rip.operations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.rip.support.DurationText;
import io.github.rip.support.TemplatedRouteCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The jobs the routes files declare, as the dashboard shows them: name, route, template, what they read or write, how
 * often. Read from the declarations ({@link TemplatedRouteCheck}) and the parameters Camel built each job's route with,
 * never from the job beans, so it follows whatever the templates do with their settings.
 */
public final class JobCatalog {

    public enum Kind { IMPORT, EXPORT }

    /**
     * @param source   folder, package, package API or sftp for imports; the target's scheme (file, sftp, http ...)
     *                 for exports
     * @param activityId the recurring data job; for package API jobs the data project (definition group)
     * @param schedule "polls every 1s", "cron 0 0/5 * * * ?"
     * @param location the inbox (folder or sftp://user@host:port/folder), or the export target without its options
     */
    public record Job(String name, String routeId, String template, Kind kind, String source, String activityId,
                      String routesFile, String schedule, String location, String jobFolder) {

        public boolean isImport() {
            return kind == Kind.IMPORT;
        }
    }

    private final CamelContext context;
    private volatile Map<String, Job> jobs;

    public JobCatalog(CamelContext context) {
        this.context = context;
    }

    /** Every job, in the order of the routes files. */
    public List<Job> jobs() {
        return List.copyOf(byName().values());
    }

    public Optional<Job> job(String name) {
        return Optional.ofNullable(name == null ? null : byName().get(name));
    }

    /** The job's route (null while routes are not created yet). */
    public Route route(Job job) {
        return context.getRoute(job.routeId());
    }

    private Map<String, Job> byName() {
        Map<String, Job> known = jobs;
        if (known == null) {
            known = load();
            if (context.isStarted()) { // complete: every job's route exists
                jobs = known;
            }
        }
        return known;
    }

    private Map<String, Job> load() {
        Map<String, Job> found = new LinkedHashMap<>();
        TemplatedRouteCheck check = TemplatedRouteCheck.of(context);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (check == null || model == null) {
            return found;
        }
        for (TemplatedRouteCheck.Job declared : check.jobs()) {
            RouteDefinition route = declared.routeId() == null ? null : model.getRouteDefinition(declared.routeId());
            if (route == null || route.getTemplateParameters() == null || declared.jobName() == null) {
                continue;
            }
            Map<String, String> p = resolved(route.getTemplateParameters());
            Job job = describe(declared, p);
            if (job != null) {
                found.put(job.name(), job);
            }
        }
        // imports first, then exports, each by name: the same order on every start
        Map<String, Job> sorted = new LinkedHashMap<>();
        found.values().stream().sorted(java.util.Comparator.comparing(Job::kind).thenComparing(Job::name))
                .forEach(job -> sorted.put(job.name(), job));
        return sorted;
    }

    private static Job describe(TemplatedRouteCheck.Job declared, Map<String, String> p) {
        String folder = p.get("jobFolder") == null ? null : Path.of(p.get("jobFolder")).toAbsolutePath().normalize()
                .toString();
        String template = declared.template();
        return switch (template == null ? "" : template) {
            case "d365-file-import", "d365-package-import" -> new Job(declared.jobName(), declared.routeId(), template,
                    Kind.IMPORT, template.equals("d365-file-import") ? "folder" : "package", declared.activityId(),
                    declared.file(), importSchedule(p), folder == null ? null : folder + "/inbox", folder);
            case "d365-sftp-import" -> new Job(declared.jobName(), declared.routeId(), template, Kind.IMPORT, "sftp",
                    declared.activityId(), declared.file(), importSchedule(p), "sftp://"
                    + p.get("username") + "@" + p.get("host") + ":" + p.get("port") + "/" + p.get("remoteFolder"),
                    folder);
            case "d365-package-api-import" -> new Job(declared.jobName(), declared.routeId(), template, Kind.IMPORT,
                    "package API", p.get("definitionGroup"), declared.file(), importSchedule(p),
                    folder == null ? null : folder + "/inbox", folder);
            case "d365-package-api-export" -> new Job(declared.jobName(), declared.routeId(), template, Kind.EXPORT,
                    scheme(p.get("target")), p.get("definitionGroup"), declared.file(),
                    p.get("cron") == null || p.get("cron").isBlank() ? every(p.get("pollInterval"))
                            : "cron " + p.get("cron"), withoutOptions(p.get("target")), folder);
            case "d365-export" -> new Job(declared.jobName(), declared.routeId(), template, Kind.EXPORT,
                    scheme(p.get("target")), declared.activityId(), declared.file(),
                    p.get("cron") == null || p.get("cron").isBlank() ? every(p.get("pollInterval"))
                            : "cron " + p.get("cron"), withoutOptions(p.get("target")), folder);
            default -> null;
        };
    }

    private Map<String, String> resolved(Map<String, Object> parameters) {
        Map<String, String> values = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            String text = value == null ? null : value.toString();
            try {
                values.put(name, text == null ? null : context.resolvePropertyPlaceholders(text));
            } catch (RuntimeException e) {
                values.put(name, text);
            }
        });
        return values;
    }

    /** An import job looks at its inbox every pollDelay, or at its cron's fire times in its time zone. */
    private static String importSchedule(Map<String, String> p) {
        String cron = p.get("cron");
        if (cron == null || cron.isBlank()) {
            return every(p.get("pollDelay"));
        }
        String zone = p.get("timeZone");
        return "cron " + cron + (zone == null || zone.isBlank() ? "" : " (" + zone + ")");
    }

    private static String every(String millis) {
        try {
            return "polls every " + DurationText.of(Duration.ofMillis(Long.parseLong(millis.trim())));
        } catch (RuntimeException e) {
            return millis == null ? null : "polls every " + millis + " ms";
        }
    }

    private static String scheme(String uri) {
        int colon = uri == null ? -1 : uri.indexOf(':');
        return colon > 0 ? uri.substring(0, colon) : "endpoint";
    }

    /** A target URI without its query (options may carry secrets) and without a password in its user part. */
    static String withoutOptions(String uri) {
        if (uri == null) {
            return null;
        }
        String base = uri.replaceFirst("\\?.*$", "");
        return base.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^:@/]+):[^@/]*@", "$1$2@");
    }
}
