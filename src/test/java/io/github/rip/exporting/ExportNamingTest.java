package io.github.rip.exporting;

import java.time.Instant;
import java.util.List;

import io.github.rip.connector.D365RefusedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Delivered file names, target URIs, transform rules and the dequeue answer: the small rules of the export path. */
class ExportNamingTest {

    private static final Instant FIRST = Instant.parse("2026-03-04T05:06:07.890Z");

    @Test
    void default_patterns_name_files_after_job_or_entity_first_dequeue_and_correlation_id() {
        DeliveryNames zips = new DeliveryNames(DeliveryNames.ZIP_PATTERN, "groups", "act", "c0ffee", FIRST, "x.zip");
        assertThat(zips.nameFor("x.zip")).isEqualTo("groups_20260304T050607Z_c0ffee.zip");

        DeliveryNames files = new DeliveryNames(DeliveryNames.FILE_PATTERN, "groups", "act", "c0ffee", FIRST, null);
        assertThat(files.nameFor("Customer groups.csv")).isEqualTo("Customer groups_20260304T050607Z_c0ffee.csv");
        assertThat(files.nameFor("README")).isEqualTo("README_20260304T050607Z_c0ffee");
    }

    @Test
    void custom_patterns_are_made_safe_and_unique_within_a_message() {
        DeliveryNames names = new DeliveryNames("{date}/{package}:{NAME}.{ext}", "j", "a", "c", FIRST,
                "Export: groups.zip");
        assertThat(names.nameFor("a.csv")).isEqualTo("2026-03-04_Export_ groups_a.csv");
        DeliveryNames fixed = new DeliveryNames("orders.csv", "j", "a", "c", FIRST, null);
        assertThat(List.of(fixed.nameFor("x.csv"), fixed.nameFor("y.csv"), fixed.nameFor("z.csv")))
                .containsExactly("orders.csv", "orders-2.csv", "orders-3.csv");
        assertThat(new DeliveryNames("..{name}", "j", "a", "c", FIRST, null).nameFor("..hidden"))
                .doesNotStartWith(".");
        assertThatThrownBy(() -> DeliveryNames.validate("{job}_{when}.zip")).hasMessageContaining("{when}");
    }

    @Test
    void folder_targets_get_a_temporary_name_unless_the_user_chose_one() {
        assertThat(TargetUri.withDefaults("file:/data/out", "j")).isEqualTo("file:/data/out?tempPrefix=.part-");
        assertThat(TargetUri.withDefaults("file:/out?tempFileName=${file:name}.tmp", "j"))
                .isEqualTo("file:/out?tempFileName=${file:name}.tmp");
        assertThat(TargetUri.withDefaults("ftp://u@h/out?binary=true", "j"))
                .isEqualTo("ftp://u@h/out?binary=true&tempPrefix=.part-");
        assertThat(TargetUri.withDefaults("sftp://u@h/out?password=RAW(x&y)", "j"))
                .startsWith("sftp://u@h/out?password=RAW(x&y)&tempPrefix=.part-&").contains("strictHostKeyChecking=yes");
        assertThat(TargetUri.withDefaults("https://partner.example/inbox", "j")).isEqualTo("https://partner.example/inbox");
        assertThatThrownBy(() -> TargetUri.withDefaults("/data/out", "j")).hasMessageContaining("file:/data/out");
    }

    @Test
    void transform_rules_pick_the_first_matching_glob() {
        TransformRules rules = TransformRules.parse("""
                # partner formats
                customer*.XML | a.xsl
                *.xml         | b.xsl
                """);
        assertThat(rules.stylesheetFor("Customer groups.xml")).contains("a.xsl");
        assertThat(rules.stylesheetFor("sub/Vendors.xml")).contains("b.xsl");
        assertThat(rules.stylesheetFor("Currencies.csv")).isEmpty();
        assertThat(TransformRules.parse("all.xsl").stylesheetFor("any.csv")).contains("all.xsl");
        assertThat(TransformRules.parse("  ").isEmpty()).isTrue();
        assertThat(rules.missingStylesheets()).containsExactly("a.xsl", "b.xsl");
        assertThatThrownBy(() -> TransformRules.parse("*.xml |")).hasMessageContaining("<file glob> | <stylesheet>");
    }

    @Test
    void the_dequeue_answer_is_read_in_any_case_and_canonical_ids() {
        DequeueResponse d = DequeueResponse.parse("""
                {"correlationId":"{8F2C0000-AAAA-4BBB-8CCC-DDDDEEEEFFFF}","PopReceipt":"AgAAAA==",
                 "DownloadLocation":"https://h/api/connector/download/x","IsDownLoadFileExist":true,
                 "FileDownLoadErrorMessage":"","LastDequeueDateTime":null}""");
        assertThat(d.correlationId()).isEqualTo("8f2c0000-aaaa-4bbb-8ccc-ddddeeeeffff");
        assertThat(d.hasFile()).isTrue();
        assertThat(d.fileErrorMessage()).isNull();
        assertThat(d.isRedelivery()).isFalse();

        DequeueResponse none = DequeueResponse.parse("{\"CorrelationId\":\"c\",\"PopReceipt\":\"p\","
                + "\"DownloadLocation\":null,\"IsDownLoadFileExist\":false,\"FileDownLoadErrorMessage\":\"gone\"}");
        assertThat(none.hasFile()).isFalse();
        assertThat(none.fileErrorMessage()).isEqualTo("gone");
        assertThat(DequeueResponse.parse("{\"CorrelationId\":\"c\",\"DownloadLocation\":\"u\"}").hasFile()).isTrue();
        assertThatThrownBy(() -> DequeueResponse.parse("{\"PopReceipt\":\"p\"}")).isInstanceOf(D365RefusedException.class);
        assertThatThrownBy(() -> DequeueResponse.parse("<html>")).isInstanceOf(D365RefusedException.class);
    }

    @Test
    void the_package_name_comes_from_content_disposition_without_folders() {
        assertThat(ExportResponses.fileName("attachment; filename=\"Customer groups.zip\"")).isEqualTo("Customer groups.zip");
        assertThat(ExportResponses.fileName("attachment; filename*=UTF-8''Kunden%20gr%C3%BCppen.zip"))
                .isEqualTo("Kunden grüppen.zip");
        assertThat(ExportResponses.fileName("attachment; filename=../../etc/passwd")).isEqualTo("passwd");
        assertThat(ExportResponses.fileName("inline")).isNull();
        assertThat(ExportResponses.fileName(null)).isNull();
    }
}
