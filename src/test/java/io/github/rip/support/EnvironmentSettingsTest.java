package io.github.rip.support;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which named D365 environments the settings configure, and how a job's environment name is judged. */
class EnvironmentSettingsTest {

    @Test
    void environmentsAreFoundInThePropertiesAndInEnvironmentVariables() throws Exception {
        try (DefaultCamelContext context = contextWith("d365.environments.test.base-url", "https://test.example",
                "d365.environments.test.client-id", "abc", "d365.base-url", "https://prod.example")) {
            assertThat(EnvironmentSettings.names(context, Map.of("D365_ENVIRONMENTS_PROD_EU_CLIENT_SECRET", "s",
                    "D365_ENVIRONMENTS_QA_BASE_URL", "https://qa.example", "D365_CLIENT_ID", "x")))
                    .containsExactly("prod-eu", "qa", "test");
        }
    }

    @Test
    void aJobMayNameTheDefaultOrAConfiguredEnvironmentOnly() throws Exception {
        try (DefaultCamelContext context = contextWith("d365.environments.test.base-url", "https://test.example")) {
            assertThat(EnvironmentSettings.jobProblem(context, "")).isNull();
            assertThat(EnvironmentSettings.jobProblem(context, " test ")).isNull();
            assertThat(EnvironmentSettings.jobProblem(context, "tset")).isEqualTo("environment: 'tset' is not a "
                    + "configured D365 environment (did you mean test?); write one of: test, or leave it empty for the "
                    + "default environment (d365.base-url)");
        }
    }

    private static DefaultCamelContext contextWith(String... keysAndValues) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties properties = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(properties);
        return context;
    }
}
