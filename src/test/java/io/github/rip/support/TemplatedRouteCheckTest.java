package io.github.rip.support;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job check on Camel's model, without files (the ITs check the file names): what it finds and how it says so. */
class TemplatedRouteCheckTest {

    private final CamelContext context = new DefaultCamelContext();
    private final TemplatedRouteCheck check = ConfigurationCheck.installRouteCheck(context, List.of("earlier problem"));

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    @Test
    void reportsEveryProblemOfEveryJobTogetherWithEarlierOnes() throws Exception {
        context.addRoutes(jobs(builder -> {
            builder.templatedRoute("file-job").routeId("import-a").parameter("jobName", "a")
                    .parameter("duplicatPolicy", "allow");
            builder.templatedRoute("file-job").routeId("import-b").parameter("jobName", "b")
                    .parameter("duplicatePolicy", "rejct").parameter("pollDelay", "{{no.such.setting}}");
            builder.templatedRoute("file-jb").routeId("import-c").parameter("jobName", "c");
            builder.templatedRoute("file-job").routeId("import-d").parameter("activityId", "x");
        }));

        assertThatThrownBy(() -> check.addRoutesToCamelContext(context))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly(
                        "earlier problem",
                        "(unknown routes file), job 'a' (route import-a): the template file-job has no parameter "
                                + "'duplicatPolicy' (did you mean duplicatePolicy?)",
                        "(unknown routes file), job 'b' (route import-b): pollDelay: the property no.such.setting is "
                                + "not set (add it to the properties file or set the environment variable "
                                + "NO_SUCH_SETTING)",
                        "(unknown routes file), job 'b' (route import-b): duplicatePolicy: 'rejct' is not accepted; "
                                + "write one of: reject, allow",
                        "(unknown routes file), job 'c' (route import-c): routeTemplateRef 'file-jb' names no template"
                                + " (did you mean file-job?); the templates are: file-job",
                        "(unknown routes file) (route import-d): the template file-job has no parameter 'activityId';"
                                + " its parameters are: jobName, pollDelay, duplicatePolicy",
                        "(unknown routes file) (route import-d): the required parameter jobName is missing"));
        assertThat(check.jobs()).extracting(TemplatedRouteCheck.Job::routeId)
                .containsExactly("import-a", "import-b", "import-c", "import-d");
    }

    @Test
    void aRefusalFromAJobsBeanIsShownWithTheJobItBelongsTo() throws Exception {
        context.addRoutes(jobs(builder -> builder.templatedRoute("file-job").routeId("import-a")
                .parameter("jobName", "a")));
        assertThatThrownBy(() -> check.addRoutesToCamelContext(context)).hasMessage("earlier problem");

        // as Camel reports a setter's refusal: wrapped in its route creation failure
        Exception failure = new FailedToCreateRouteException("import-a", "Route(import-a)", "Bean[ref:job]",
                new RuntimeCamelException(
                new InvalidConfigurationException("allowLinks: 'yes' is not accepted; write true or false")));

        assertThat(StartFailure.describe(failure, context)).containsExactly(
                "(unknown routes file), job 'a' (route import-a): allowLinks: 'yes' is not accepted; write true or "
                        + "false");
        assertThat(StartFailure.describe(new IllegalStateException("outer", new RuntimeException("the cause")), null))
                .containsExactly("the cause");
    }

    private interface Jobs {
        void declare(RouteBuilder builder);
    }

    /** A template standing in for the pack's (required jobName, a duration and a choice with defaults), and jobs. */
    private static RouteBuilder jobs(Jobs jobs) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                routeTemplate("file-job").templateParameter("jobName").templateParameter("pollDelay", "1000")
                        .templateParameter("duplicatePolicy", "reject")
                        .from("direct:{{jobName}}").to("log:{{jobName}}");
                jobs.declare(this);
            }
        };
    }
}
