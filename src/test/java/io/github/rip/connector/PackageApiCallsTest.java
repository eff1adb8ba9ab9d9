package io.github.rip.connector;

import java.io.File;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.rip.auth.AuthenticationFailedException;
import io.github.rip.importing.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The package API's calls as the pack makes them, and what their answers mean (docs/d365-api.md §2). */
class PackageApiCallsTest {

    private static final String SAS = "https://acct.blob.core.windows.net/dmf/3f0c?sv=2019-12-12&sr=b&sp=w"
            + "&se=2026-12-02T15%3A00%3A00Z&sig=AbC%2Bsecret%3D";

    @Test
    void actions_are_posted_as_json_to_the_definition_groups_entity_set() throws Exception {
        D365Call call = D365Call.importFromPackage(SAS, "Master data", "job-1", true, false, "usmf", () -> { },
                () -> { });
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo(
                "/data/DataManagementDefinitionGroups/Microsoft.Dynamics.DataEntities.ImportFromPackage");
        assertThat(call.contentType()).isEqualTo("application/json");
        JsonNode body = new ObjectMapper().readTree((String) call.body());
        assertThat(body.path("packageUrl").asText()).isEqualTo(SAS);
        assertThat(body.path("definitionGroupId").asText()).isEqualTo("Master data");
        assertThat(body.path("executionId").asText()).isEqualTo("job-1");
        assertThat(body.path("execute").asBoolean()).isTrue();
        assertThat(body.path("overwrite").asBoolean()).isFalse();
        assertThat(body.path("legalEntityId").asText()).isEqualTo("usmf");
        assertThat(call.isBlobStorage()).isFalse();
    }

    @Test
    void blob_calls_name_the_whole_sas_url_and_are_marked_for_storage() {
        D365Call upload = D365Call.blobUpload(SAS, new File("p.zip"));
        assertThat(upload.method()).isEqualTo("PUT");
        assertThat(upload.isBlobStorage()).isTrue();
        assertThat(BlobUrl.withoutQuery(upload.path())).isEqualTo("https://acct.blob.core.windows.net/dmf/3f0c");
        assertThat(BlobUrl.query(upload.path())).endsWith("&sig=AbC%2Bsecret%3D");
        assertThat(D365Call.blobDownload(SAS.replace("sp=w", "sp=r")).streamed()).isTrue();
    }

    @Test
    void a_blob_url_that_is_not_https_is_not_used() {
        assertThatThrownBy(() -> D365Call.blobUpload(SAS.replace("https:", "http:"), new File("p.zip")))
                .isInstanceOf(D365RefusedException.class).hasMessageContaining("not an https URL")
                .hasMessageContaining("sig=***").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> D365Call.blobDownload("https://user:pw@acct/dmf/x?sig=s"))
                .isInstanceOf(D365RefusedException.class);
    }

    @Test
    void the_signature_is_masked_wherever_a_url_is_shown() {
        assertThat(BlobUrl.masked(SAS)).endsWith("&sig=***").doesNotContain("secret");
        assertThat(BlobUrl.masked("https://h/b?SIG=x&sp=r")).isEqualTo("https://h/b?SIG=***&sp=r");
        assertThat(BlobUrl.masked("https://h/b?sp=r")).isEqualTo("https://h/b?sp=r");
        assertThat(BlobUrl.masked("{\"message\":\"no package at https://h/b?sp=w&sig=abc%3D\",\"type\":\"x\"}"))
                .as("a URL quoted in an error body").isEqualTo("{\"message\":\"no package at https://h/b?sp=w&sig=***\","
                        + "\"type\":\"x\"}");
    }

    @Test
    void storage_refusing_the_signature_is_transient_never_an_authentication_problem() {
        D365Call upload = D365Call.blobUpload(SAS, new File("p.zip"));
        RuntimeException expired = D365Failures.ofBlob(upload, 403, "\uFEFF<?xml version=\"1.0\"?><Error><Code>"
                + "AuthenticationFailed</Code></Error>", null);
        assertThat(expired).isInstanceOf(TransientD365Exception.class).isNotInstanceOf(
                AuthenticationFailedException.class).hasMessageContaining("403 AuthenticationFailed")
                .hasMessageContaining("new one").hasMessageContaining("sig=***").hasMessageNotContaining("secret");
        assertThat(D365Failures.ofBlob(upload, 404, "<Error><Code>BlobNotFound</Code></Error>", null))
                .isInstanceOf(D365RefusedException.class);
        assertThat(D365Failures.ofBlob(upload, 503, null, "2")).isInstanceOf(TransientD365Exception.class);
    }

    @Test
    void odata_values_are_read_flat_nested_and_as_json_text() {
        assertThat(ODataValue.text("{\"@odata.context\":\"x\",\"value\":\"Succeeded\"}")).isEqualTo("Succeeded");
        assertThat(ODataValue.text("{\"value\":{\"value\":\"exec-1\"}}")).isEqualTo("exec-1");
        assertThat(ODataValue.text("{\"value\":\"\"}")).isEmpty();
        assertThat(ODataValue.text("not json")).isNull();
        assertThat(ODataValue.json("{\"value\":\"{\\\"BlobId\\\":\\\"{1}\\\",\\\"BlobUrl\\\":\\\"https://x\\\"}\"}")
                .path("BlobUrl").asText()).isEqualTo("https://x");
    }

    @Test
    void execution_states_map_to_the_archive_and_errors_become_the_reports_lines() {
        assertThat(JobStatus.ofExecution("Succeeded", "e", "p", null, "{}").succeeded()).isTrue();
        for (String failure : new String[] {"PartiallySucceeded", "Failed", "Canceled"}) {
            assertThat(JobStatus.ofExecution(failure, "e", "p", null, "{}").failed()).as(failure).isTrue();
        }
        for (String running : new String[] {"NotRun", "Executing", "Unknown"}) {
            assertThat(JobStatus.ofExecution(running, "e", "p", null, "{}").terminal()).as(running).isFalse();
        }
        JobStatus failed = JobStatus.ofExecution("PartiallySucceeded", "e", "p", null, "{\"value\":\"x\"}")
                .withExecutionErrors("{\"value\":\"[{\\\"EntityName\\\":\\\"Customer groups\\\",\\\"RecordId\\\":"
                        + "\\\"2\\\",\\\"Field\\\":\\\"DESCRIPTION\\\",\\\"ErrorMessage\\\":\\\"Empty.\\\"}]\"}");
        assertThat(failed.executionLog()).isEqualTo("Customer groups: record 2: DESCRIPTION: Empty.\n");
        assertThat(failed.rawJson()).contains("{\"value\":\"x\"}")
                .contains("RecordId");
    }
}
