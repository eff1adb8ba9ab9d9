package io.github.rip.importing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** jobstatus answers read tolerantly: integer or string enums, terminal states in both vocabularies. */
class JobStatusTest {

    @Test
    void integer_enums_are_named() {
        JobStatus status = JobStatus.parse("{\"DataJobStatus\":{\"DataJobState\":6,\"ExecutionIdentifier\":\"x\"},"
                + "\"ExecutionLog\":\"log\",\"ExecutionDetail\":[{\"EntityName\":\"Customer groups\",\"StagingRecords\":3,"
                + "\"StagingStatus\":4,\"StagingErrorCount\":0,\"TargetRecords\":2,\"TargetStatus\":3,\"TargetErrorCount\":1}]}");
        assertThat(status.state()).isEqualTo("ProcessedWithErrors");
        assertThat(status.failed()).isTrue();
        assertThat(status.entities().get(0).stagingStatus()).isEqualTo("Finished");
        assertThat(status.entities().get(0).targetStatus()).isEqualTo("Error");
        assertThat(status.entities().get(0).targetErrors()).isEqualTo(1);
    }

    @Test
    void string_enums_are_taken_as_they_are() {
        assertThat(JobStatus.parse("{\"DataJobStatus\":{\"DataJobState\":\"Processed\"}}").succeeded()).isTrue();
        assertThat(JobStatus.parse("{\"DataJobStatus\":{\"DataJobState\":\"InProcess\"}}").terminal()).isFalse();
        assertThat(JobStatus.parse("{\"DataJobStatus\":{\"DataJobState\":\"PostProcessingFailed\"}}").failed()).isTrue();
        assertThat(JobStatus.parse("{\"DataJobStatus\":{\"DataJobState\":\"preprocessingerror\"}}").failed()).isTrue();
    }

    @Test
    void non_terminal_states_keep_the_file_in_sent() {
        for (int state = 0; state <= 4; state++) {
            assertThat(JobStatus.parse("{\"DataJobStatus\":{\"DataJobState\":" + state + "}}").terminal()).isFalse();
        }
    }
}
