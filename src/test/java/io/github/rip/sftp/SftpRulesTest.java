package io.github.rip.sftp;

import java.net.ConnectException;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SftpException;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The SFTP rules that need no server: when an upload counts as complete, target defaults, how errors are worded. */
class SftpRulesTest {

    private static final SftpProblem.Server SERVER = new SftpProblem.Server("SFTP job 'partner'", "sftp.example.com", 2222,
            "rip", "/etc/rip/known_hosts", "outgoing");

    @Test
    void an_upload_is_complete_once_size_and_mtime_stayed_the_same_for_the_quiet_time() {
        UploadStability stability = new UploadStability(1000);
        assertThat(stability.isComplete("in/a.csv", 10, 5000, 0)).as("first sight").isFalse();
        assertThat(stability.isComplete("in/a.csv", 10, 5000, 900)).isFalse();
        assertThat(stability.isComplete("in/a.csv", 20, 5000, 1000)).as("grew: starts over").isFalse();
        assertThat(stability.isComplete("in/a.csv", 20, 6000, 1500)).as("touched: starts over").isFalse();
        assertThat(stability.isComplete("in/a.csv", 20, 6000, 2400)).isFalse();
        assertThat(stability.isComplete("in/a.csv", 20, 6000, 2500)).isTrue();
        stability.forget("in/a.csv");
        assertThat(stability.isComplete("in/a.csv", 20, 6000, 2600)).as("forgotten: seen anew").isFalse();
    }

    @Test
    void no_quiet_time_takes_a_file_at_first_sight() {
        assertThat(new UploadStability(0).isComplete("a", 1, 1, 0)).isTrue();
    }

    @Test
    void sftp_targets_check_host_keys_unless_told_otherwise() {
        assertThat(SftpTarget.withDefaults("sftp://rip@host/out", "job")).isEqualTo("sftp://rip@host/out"
                + "?strictHostKeyChecking=yes&useUserKnownHostsFile=false&knownHostsFile={{rip.sftp.known-hosts-file}}"
                + "&connectTimeout={{rip.sftp.connect-timeout}}&soTimeout={{rip.sftp.timeout}}&maximumReconnectAttempts=0");
        assertThat(SftpTarget.withDefaults("sftp://rip@host/out?knownHostsFile=/k&soTimeout=5000", "job"))
                .isEqualTo("sftp://rip@host/out?knownHostsFile=/k&soTimeout=5000&strictHostKeyChecking=yes"
                        + "&useUserKnownHostsFile=false&connectTimeout={{rip.sftp.connect-timeout}}"
                        + "&maximumReconnectAttempts=0");
        assertThat(SftpTarget.withDefaults("sftp://rip@host/out?StrictHostKeyChecking=no", "job"))
                .as("an explicit no stays (and is warned about)")
                .isEqualTo("sftp://rip@host/out?StrictHostKeyChecking=no&connectTimeout={{rip.sftp.connect-timeout}}"
                        + "&soTimeout={{rip.sftp.timeout}}&maximumReconnectAttempts=0");
    }

    @Test
    void jsch_errors_are_worded_for_the_operator() {
        assertThat(problem(new JSchException("Auth fail for methods 'publickey,password'")))
                .startsWith("SFTP job 'partner' (sftp.example.com:2222): the server refused the login of user 'rip'");
        assertThat(problem(new JSchException("java.net.ConnectException: Connection refused",
                new ConnectException("Connection refused")))).contains("server unreachable (Connection refused)");
        assertThat(problem(new SftpException(ChannelSftp.SSH_FX_PERMISSION_DENIED, "Permission denied")))
                .contains("permission denied for user 'rip'").contains("'outgoing'");
        assertThat(problem(new SftpException(ChannelSftp.SSH_FX_NO_SUCH_FILE, "No such file")))
                .contains("'outgoing' or a file in it does not exist");
    }

    private static String problem(Throwable cause) {
        return SftpProblem.of(new GenericFileOperationFailedException("Cannot connect to sftp://rip@sftp.example.com",
                cause), SERVER, null).message();
    }
}
