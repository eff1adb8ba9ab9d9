package io.github.rip.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteBuilderLifecycleStrategy;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.TemplatedRouteParameterDefinition;
import org.apache.camel.spi.Resource;

/**
 * Checks every job ({@code templatedRoute}) against its route template before Camel creates any of them, and names the
 * routes file in each problem: a template that does not exist (and the ones that do), a parameter the template does not
 * take (with the name meant), a required one missing, a value the parameter does not accept ({@link JobParameters}), a
 * property placeholder that is not set. Camel itself ignores unknown parameters, reports a misspelt required one only
 * as missing, and names no file.
 * <p>
 * Two Camel hooks, both found in the registry: as {@link RouteBuilderLifecycleStrategy} it sees each routes file's
 * builder right after the file was read (the jobs and their file); as a {@link RoutesBuilder} ordered after every other
 * one, it runs once all route templates are known and before Camel turns the first job into a route (Camel Main adds
 * all builders' routes and templates first, then all templated routes).
 */
public final class TemplatedRouteCheck implements RouteBuilderLifecycleStrategy, RoutesBuilder, Ordered {

    public static final String BEAN = "ripTemplatedRouteCheck";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");

    /**
     * A job as the routes file declares it, with its placeholders resolved where they could be; {@code environment} is
     * the D365 environment it names ("" for the default).
     */
    public record Job(String file, String routeId, String template, String jobName, String activityId,
                      String environment) {

        /** "routes/customer-groups.camel.yaml, job 'customer-groups' (route import-customer-groups)". */
        public String where() {
            return file + (jobName == null || jobName.isBlank() ? "" : ", job '" + jobName + "'")
                    + (routeId == null ? "" : " (route " + routeId + ")");
        }
    }

    private record Declared(TemplatedRouteDefinition route, String file) {
    }

    private final List<String> earlierProblems;
    private final List<Declared> declared = new ArrayList<>();
    private final List<Job> jobs = new ArrayList<>();

    /** @param earlierProblems problems found before the routes were read (settings), reported with the jobs' */
    public TemplatedRouteCheck(List<String> earlierProblems) {
        this.earlierProblems = List.copyOf(earlierProblems);
    }

    /** The check of a context, if one was installed. */
    public static TemplatedRouteCheck of(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(BEAN, TemplatedRouteCheck.class);
    }

    /** The jobs the routes files declare (known once the routes were loaded). */
    public synchronized List<Job> jobs() {
        return List.copyOf(jobs);
    }

    @Override
    public int getOrder() {
        // after every other builder: a RouteBuilder's order is Ordered.LOWEST (MAX_VALUE - 1000), and on a tie the
        // builders found in the registry, like this one, would come first
        return Integer.MAX_VALUE;
    }

    @Override
    public synchronized void afterConfigure(RouteBuilder builder) {
        for (TemplatedRouteDefinition route : builder.getTemplatedRouteCollection().getTemplatedRoutes()) {
            Resource resource = route.getResource() != null ? route.getResource() : builder.getResource();
            declared.add(new Declared(route, fileName(resource)));
        }
    }

    @Override
    public synchronized void addRoutesToCamelContext(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, RouteTemplateDefinition> templates = new LinkedHashMap<>();
        for (RouteTemplateDefinition template : model.getRouteTemplateDefinitions()) {
            templates.put(template.getId(), template);
        }
        List<String> problems = new ArrayList<>(earlierProblems);
        jobs.clear();
        for (Declared job : declared) {
            problems.addAll(check(context, job, templates));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
    }

    private List<String> check(CamelContext context, Declared declared,
                               Map<String, RouteTemplateDefinition> templates) {
        TemplatedRouteDefinition route = declared.route();
        Map<String, String> given = new LinkedHashMap<>();
        Set<String> givenTwice = new TreeSet<>();
        for (TemplatedRouteParameterDefinition parameter : route.getParameters()) {
            if (given.put(parameter.getName(), parameter.getValue()) != null) {
                givenTwice.add(parameter.getName());
            }
        }
        Job job = new Job(declared.file(), route.getRouteId(), route.getRouteTemplateRef(),
                resolvedOrNull(context, given.get("jobName")), resolvedOrNull(context, given.get("activityId")),
                environment(context, given.get("environment")));
        jobs.add(job);
        String where = job.where();
        List<String> problems = new ArrayList<>();
        // Camel would silently take the last one
        givenTwice.forEach(name -> problems.add(where + ": the parameter " + name + " is given twice"));
        RouteTemplateDefinition template = templates.get(route.getRouteTemplateRef());
        if (template == null) {
            problems.add(where + ": routeTemplateRef '" + route.getRouteTemplateRef() + "' names no template"
                    + Suggestions.didYouMean(String.valueOf(route.getRouteTemplateRef()), templates.keySet())
                    + "; the templates are: " + String.join(", ", new TreeSet<>(templates.keySet())));
            return problems;
        }
        Map<String, RouteTemplateParameterDefinition> declaredParameters = new LinkedHashMap<>();
        template.getTemplateParameters().forEach(p -> declaredParameters.put(p.getName(), p));
        for (String name : given.keySet()) {
            if (!declaredParameters.containsKey(name)) {
                String suggestion = Suggestions.didYouMean(name, declaredParameters.keySet());
                problems.add(where + ": the template " + template.getId() + " has no parameter '" + name + "'"
                        + (suggestion.isEmpty() ? "; its parameters are: " + String.join(", ",
                        declaredParameters.keySet()) : suggestion));
            }
        }
        for (RouteTemplateParameterDefinition parameter : declaredParameters.values()) {
            String name = parameter.getName();
            if (given.containsKey(name)) {
                problems.addAll(valueProblems(context, where, name, given.get(name), true));
                String unfit = JobParameters.templateProblem(template.getId(), name,
                        resolvedOrNull(context, given.get(name)));
                if (unfit != null) {
                    problems.add(where + ": " + unfit);
                }
            } else if (parameter.getDefaultValue() != null) {
                problems.addAll(valueProblems(context, where, name, parameter.getDefaultValue(), false));
            } else if (parameter.isRequired()) {
                problems.add(where + ": the required parameter " + name + " is missing");
            }
        }
        return problems;
    }

    /** A value's placeholders must resolve and the result must suit the parameter; defaults from settings are not
     * judged here, the settings check already named the setting. */
    private static List<String> valueProblems(CamelContext context, String where, String name, String value,
                                              boolean explicit) {
        if (!explicit && ConfigurationCheck.isCheckedSetting(placeholderKey(value))) {
            return List.of();
        }
        String unset = unsetProperty(context, value);
        if (unset != null) {
            return List.of(where + ": " + name + ": the property " + unset + " is not set (add it to "
                    + new Settings(context).propertiesFiles() + " or set the environment variable "
                    + Settings.environmentVariable(unset) + ")");
        }
        String resolved;
        try {
            resolved = context.resolvePropertyPlaceholders(value);
        } catch (RuntimeException e) {
            return List.of(where + ": " + name + ": " + e.getMessage());
        }
        String problem = "environment".equals(name) ? EnvironmentSettings.jobProblem(context, resolved)
                : JobParameters.problem(name, resolved);
        if (problem == null) {
            return List.of();
        }
        return List.of(where + ": " + problem + (explicit ? "" : " (the template's default " + value + ")"));
    }

    /** The first {{key}} in the value without a default whose property is not set; null if there is none. */
    private static String unsetProperty(CamelContext context, String value) {
        Matcher placeholder = PLACEHOLDER.matcher(value);
        while (placeholder.find()) {
            String key = placeholder.group(1).trim();
            // {{key:default}} and functions ({{secret:name}}, {{env:NAME}}) cannot be unset; {{?key}} is optional
            if (!key.startsWith("?") && !key.contains(":")
                    && context.getPropertiesComponent().resolveProperty(key).isEmpty()) {
                return key;
            }
        }
        return null;
    }

    /** "rip.import.poll-delay" for "{{rip.import.poll-delay}}" or "{{rip.import.poll-delay:1000}}"; else null. */
    private static String placeholderKey(String value) {
        if (value == null || !value.startsWith("{{") || !value.endsWith("}}") || value.indexOf("{{", 2) >= 0) {
            return null;
        }
        String key = value.substring(2, value.length() - 2);
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(0, colon);
    }

    private static String resolvedOrNull(CamelContext context, String value) {
        if (value == null) {
            return null;
        }
        try {
            return context.resolvePropertyPlaceholders(value);
        } catch (RuntimeException e) {
            return value;
        }
    }

    /** The job's environment: "" (the default) when not given. */
    private static String environment(CamelContext context, String value) {
        String resolved = resolvedOrNull(context, value);
        return resolved == null ? "" : resolved.trim();
    }

    /** "routes/customer-groups.camel.yaml" for "file:routes/customer-groups.camel.yaml". */
    static String fileName(Resource resource) {
        if (resource == null || resource.getLocation() == null) {
            return "(unknown routes file)";
        }
        String location = resource.getLocation();
        return location.startsWith("file:") ? location.substring("file:".length()) : location;
    }

    @Override
    public void addTemplatedRoutesToCamelContext(CamelContext context) {
        // nothing: this builder only checks
    }

    @Override
    public Set<String> updateRoutesToCamelContext(CamelContext context) {
        return new HashSet<>();
    }
}
