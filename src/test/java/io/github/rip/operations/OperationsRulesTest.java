package io.github.rip.operations;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The operations package's small rules: password hashes, loopback names, target URIs shown, D365's answer in a report. */
class OperationsRulesTest {

    @Test
    void aPasswordHashMatchesItsPasswordOnlyAndSaysWhatItIs() {
        String hash = PasswordHash.of("correct horse battery".toCharArray());

        assertThat(hash).startsWith("pbkdf2-sha256$600000$").doesNotContain("correct");
        assertThat(PasswordHash.matches("correct horse battery".toCharArray(), hash)).isTrue();
        assertThat(PasswordHash.matches("correct horse batterY".toCharArray(), hash)).isFalse();
        assertThat(PasswordHash.of("correct horse battery".toCharArray())).as("salted").isNotEqualTo(hash);
        assertThat(PasswordHash.problem(hash)).isNull();
        assertThat(PasswordHash.problem("secret")).contains("hash-password");
        assertThat(PasswordHash.matches("x".toCharArray(), "pbkdf2-sha256$1$AA$AA")).isFalse();
    }

    @Test
    void onlyLiteralLoopbackAddressesAndLocalhostCountAsThisMachine() {
        assertThat(HttpGuard.addressedToLoopback("localhost")).isTrue();
        assertThat(HttpGuard.addressedToLoopback("127.0.0.1")).isTrue();
        assertThat(HttpGuard.addressedToLoopback("[::1]")).isTrue();
        assertThat(HttpGuard.addressedToLoopback("::1")).isTrue();
        // a name that resolves to 127.0.0.1 is what a DNS rebinding attack uses: never resolved
        assertThat(HttpGuard.addressedToLoopback("localtest.me")).isFalse();
        assertThat(HttpGuard.addressedToLoopback("10.0.0.5")).isFalse();
        assertThat(HttpGuard.addressedToLoopback(null)).isFalse();
        assertThat(DashboardAccess.isLoopback("127.0.0.1")).isTrue();
        assertThat(DashboardAccess.isLoopback("0.0.0.0")).isFalse();
    }

    @Test
    void anExportTargetIsShownWithoutItsOptionsOrPassword() {
        assertThat(JobCatalog.withoutOptions("sftp://bob:s3cret@host:2222/in?privateKeyFile=/k&password=RAW(x)"))
                .isEqualTo("sftp://bob@host:2222/in");
        assertThat(JobCatalog.withoutOptions("file:data/out?fileExist=Fail")).isEqualTo("file:data/out");
    }

    @Test
    void d365sAnswerIsFoundInBothKindsOfReport() {
        String completed = "Result: FAILED\n\nRaw jobstatus answer\n--------------------\n{\"DataJobStatus\":{}}\n";
        String rejected = "Result: FAILED\nHTTP status: 400\nD365 answered:\n    {\"Message\":\"bad\"}\n    more\n"
                + "\nWhat to do\n";

        assertThat(MessageReports.d365Answer(completed)).isEqualTo("{\"DataJobStatus\":{}}");
        assertThat(MessageReports.d365Answer(rejected)).isEqualTo("{\"Message\":\"bad\"}\nmore");
        assertThat(MessageReports.d365Answer("Result: FAILED - duplicate\n")).isNull();
    }
}
