package io.github.rip.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The YAML format, placeholder resolution, defaults, and the shipped emulator.yaml. */
class EmulatorConfigTest {

    @Test
    void theShippedConfigLoadsWithItsDefaults() {
        EmulatorConfig config = EmulatorConfig.loadDefault(v -> EmulatorMain.resolve(v, name -> null));

        assertEquals(4, config.jobs().size());
        RecurringJob customerGroups = config.jobs().get(0);
        assertEquals("Customer groups", customerGroups.entity());
        assertEquals(RecurringJob.FileFormat.CSV, customerGroups.format());
        assertEquals(RecurringJob.FileFormat.XML, config.jobs().get(1).format());
        assertEquals(RecurringJob.Mode.PACKAGE, config.jobs().get(2).mode());
        assertEquals(List.of("CUSTOMERGROUPID", "DESCRIPTION"), config.requiredColumns("customer GROUPS"));
        assertEquals(List.of("VENDORGROUPID", "DESCRIPTION"), config.requiredColumns("Vendor groups"));
        AppRegistration app = config.apps().get(0);
        assertTrue(customerGroups.isEnabledFor(app.appId()));
        assertEquals("emulator-secret", app.secret());
        assertNull(app.certificate());
        assertEquals(Duration.ofSeconds(2), config.processingDelay());
        assertEquals(0, config.port());
        RecurringJob export = config.jobs().get(3);
        assertEquals("6d31e09f-0000-4000-8000-000000000101", export.activityId());
        assertEquals(RecurringJob.Direction.EXPORT, export.direction());
        assertEquals(List.of(new ExportEntity("Customer groups", List.of("CUSTOMERGROUPID", "DESCRIPTION",
                "PAYMENTTERMID"), "CSV-Unicode")), export.exportEntities());
        assertTrue(export.isEnabledFor(app.appId()));
        assertEquals(Duration.ofMinutes(30), config.visibilityTimeout());
        assertFalse(config.redeliveryNewCorrelationId());
        assertFalse(config.downloadLocationHttpPort80());
        assertEquals(1, config.exports().size());
        assertFalse(config.exports().get(0).enabled(), "the shipped schedule is off unless configured");
    }

    @Test
    void theShippedExportScheduleIsSwitchedOnByAProperty() {
        Map<String, String> properties = Map.of("emulator.exports.customer-groups.every", "30s",
                "emulator.exports.customer-groups.rows", "250");

        EmulatorConfig config = EmulatorConfig.loadDefault(v -> EmulatorMain.resolve(v, properties::get));

        ExportSchedule schedule = config.exports().get(0);
        assertTrue(schedule.enabled());
        assertEquals(Duration.ofSeconds(30), schedule.every());
        assertEquals(250, schedule.rows());
        assertEquals(config.jobs().get(3).activityId(), schedule.activityId());
    }

    @Test
    void exportSettingsAreRead() {
        String yaml = """
                visibilityTimeout: 2s
                redeliveryNewCorrelationId: true
                downloadLocationHttpPort80: yes
                jobs:
                  - activityId: "{E1}"
                    direction: EXPORT
                    entities:
                      - name: Customer groups
                        columns: [CUSTOMERGROUPID, DESCRIPTION]
                      - name: Currencies
                        columns: CURRENCYCODE, NAME
                        format: CSV
                exports:
                  - activityId: e1
                    every: 500ms
                    rows: 7
                """;

        EmulatorConfig config = EmulatorConfig.load(new StringReader(yaml), null);

        assertEquals(Duration.ofSeconds(2), config.visibilityTimeout());
        assertTrue(config.redeliveryNewCorrelationId());
        assertTrue(config.downloadLocationHttpPort80());
        RecurringJob job = config.jobs().get(0);
        assertEquals(List.of(ExportEntity.of("Customer groups", "CUSTOMERGROUPID", "DESCRIPTION"),
                new ExportEntity("Currencies", List.of("CURRENCYCODE", "NAME"), "CSV")), job.exportEntities());
        assertEquals(List.of(new ExportSchedule("e1", Duration.ofMillis(500), 7)), config.exports());
        IllegalArgumentException notExport = assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.load(
                new StringReader("exports:\n  - activityId: nope\n    every: 1s\n"), null));
        assertTrue(notExport.getMessage().contains("direction EXPORT"), notExport.getMessage());
    }

    @Test
    void placeholdersResolveThroughTheRunnersResolver() {
        Map<String, String> properties = Map.of("d365.client-id", "AAAA0000-0000-4000-8000-000000000001",
                "import.customer-groups.activity-id", "{11112222-0000-4000-8000-000000000001}",
                "import.vendor-groups.activity-id", "11112222-0000-4000-8000-000000000002",
                "import.package.activity-id", "11112222-0000-4000-8000-000000000003");

        EmulatorConfig config = EmulatorConfig.loadDefault(v -> EmulatorMain.resolve(v, properties::get));

        assertEquals("aaaa0000-0000-4000-8000-000000000001", config.apps().get(0).appId());
        assertEquals("11112222-0000-4000-8000-000000000001", config.jobs().get(0).activityId());
        assertTrue(config.jobs().get(0).isEnabledFor("AAAA0000-0000-4000-8000-000000000001"));
    }

    @Test
    void everySettingIsRead() throws Exception {
        var cert = EmulatorTestSupport.AppCertificate.generate("yaml-app");
        String pem = "-----BEGIN CERTIFICATE-----\\n"
                + Base64.getEncoder().encodeToString(cert.certificate().getEncoded()) + "\\n-----END CERTIFICATE-----";
        String yaml = """
                host: 0.0.0.0
                port: 18443
                dataDir: /tmp/emulator-test
                tenant: my-tenant
                tokenLifetime: 5m
                tokenClockSkew: PT30S
                processingDelay: 200ms
                processingTime: 1s
                enumFormat: name
                dateFormat: DOTNET
                messageIdFormat: braced-uppercase
                maxEnqueueBytes: 31_457_280
                defaultCompany: USMF
                maxThreads: 4
                apps:
                  - appId: cert-app
                    certificate: "%s"
                jobs:
                  - activityId: "{ABC}"
                    name: Export job
                    direction: EXPORT
                    mode: PACKAGE
                    apps: cert-app, other-app
                entities:
                  Things:
                    required: A,B
                """.formatted(pem);

        EmulatorConfig config = EmulatorConfig.load(new StringReader(yaml), null);

        assertEquals("0.0.0.0", config.host());
        assertEquals(18443, config.port());
        assertEquals("my-tenant", config.tenant());
        assertEquals(Duration.ofMinutes(5), config.tokenLifetime());
        assertEquals(Duration.ofSeconds(30), config.tokenClockSkew());
        assertEquals(Duration.ofMillis(200), config.processingDelay());
        assertEquals(EmulatorConfig.EnumFormat.NAME, config.enumFormat());
        assertEquals(EmulatorConfig.DateFormat.DOTNET, config.dateFormat());
        assertEquals(EmulatorConfig.MessageIdFormat.BRACED_UPPERCASE, config.messageIdFormat());
        assertEquals(31_457_280, config.maxEnqueueBytes());
        assertEquals("USMF", config.defaultCompany());
        assertEquals(4, config.maxThreads());
        assertEquals(cert.certificate(), config.apps().get(0).certificate());
        RecurringJob job = config.jobs().get(0);
        assertEquals("abc", job.activityId());
        assertEquals(RecurringJob.Direction.EXPORT, job.direction());
        assertEquals(Set.of("cert-app", "other-app"), job.enabledApps());
        assertEquals(List.of("A", "B"), config.requiredColumns("things"));
    }

    @Test
    void mistakesAreReportedClearly() {
        IllegalArgumentException badEnum = assertThrows(IllegalArgumentException.class,
                () -> EmulatorConfig.load(new StringReader("enumFormat: numbers"), null));
        assertTrue(badEnum.getMessage().contains("'enumFormat' must be one of [INTEGER, NAME]"), badEnum.getMessage());

        IllegalArgumentException noEntity = assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.load(
                new StringReader("jobs:\n  - activityId: x\n    name: Broken\n    mode: FILE\n"), null));
        assertTrue(noEntity.getMessage().contains("needs an entity"), noEntity.getMessage());

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> EmulatorMain.resolve("{{d365.client-id}}", name -> null));
        assertTrue(missing.getMessage().contains("D365_CLIENT_ID"), missing.getMessage());
    }

    @Test
    void unknownKeysAndBadValuesNameTheKeyAndWhatItAccepts() {
        assertEquals("emulator config: unknown key 'mdoe' in jobs[0]; accepted: activityId, apps, dataProject,"
                        + " direction, entities, entity, format, mode, name",
                loadError("jobs:\n  - activityId: x\n    mdoe: FILE\n"));
        assertTrue(loadError("hots: x").startsWith("emulator config: unknown key 'hots'; accepted: apps, dataDir,"),
                loadError("hots: x"));
        assertEquals("emulator config: 'jobs[0].mode' must be one of [FILE, PACKAGE], got FOLDER",
                loadError("jobs:\n  - activityId: x\n    mode: FOLDER\n"));
        assertEquals("emulator config: 'port' must be a whole number, got abc", loadError("port: abc"));
        assertEquals("emulator config: 'redeliveryNewCorrelationId' must be true or false, got maybe",
                loadError("redeliveryNewCorrelationId: maybe"));
        assertEquals("emulator config: 'processingDelay' must be a duration like PT2S, 200ms, 2s, 5m or 1h; got soon",
                loadError("processingDelay: soon"));
        assertEquals("emulator config: 'jobs' must be a list", loadError("jobs: 5"));
        assertEquals("emulator config: 'host' must be a single value", loadError("host: [a]"));
        assertEquals("emulator config: apps[0] needs 'appId'", loadError("apps:\n  - secret: x\n"));
    }

    @Test
    void placeholdersMayStandForNumbersAndBlankMeansUnset() {
        String yaml = """
                port: "{{emulator.port:8443}}"
                maxThreads: "{{emulator.threads}}"
                apps:
                  - appId: app
                    secret: "{{secret:}}"
                """;

        EmulatorConfig config = EmulatorConfig.load(new StringReader(yaml),
                v -> EmulatorMain.resolve(v, Map.of("emulator.threads", "3")::get));

        assertEquals(8443, config.port());
        assertEquals(3, config.maxThreads());
        assertNull(config.apps().get(0).secret());
    }

    private static String loadError(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> EmulatorConfig.load(new StringReader(yaml), null))
                .getMessage();
    }

    @Test
    void secretsNeverAppearInToString() {
        String text = AppRegistration.withSecret("app", "super-secret").toString();

        assertFalse(text.contains("super-secret"), text);
    }
}
