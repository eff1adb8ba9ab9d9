package io.github.rip.importing;

import java.nio.file.Path;

import io.github.rip.importing.CompanyRouting.Decision;
import io.github.rip.support.InvalidConfigurationException;
import io.github.rip.support.JobParameters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which legal entity a file goes to (companyFrom, allowedCompanies), and what the job's parameters accept. */
class CompanyRoutingTest {

    private static final Path INBOX = Path.of("/data/import/orders/inbox");

    @Test
    void withoutCompanyFromEveryFileGoesToTheJobsCompanyAsConfigured() {
        CompanyRouting routing = CompanyRouting.of("", "");

        assertThat(routing.decide(INBOX, INBOX.resolve("a.csv"), "a.csv", "usmf"))
                .isEqualTo(new Decision("usmf", null, null));
        assertThat(routing.isPerFile()).isFalse();
        assertThat(routing.isSubfolders()).isFalse();
    }

    @Test
    void subfolderNamesTheCompanyInUpperCaseAndIsKeptForTheArchive() {
        CompanyRouting routing = CompanyRouting.of("subfolder", "");

        assertThat(routing.decide(INBOX, INBOX.resolve("usmf/a.csv"), "a.csv", ""))
                .isEqualTo(new Decision("USMF", "usmf", null));
        assertThat(routing.isPerFile()).isTrue();
        assertThat(routing.isSubfolders()).isTrue();
    }

    @Test
    void aFileDirectlyInTheInboxTakesTheJobsCompanyOrIsRefusedWithoutOne() {
        CompanyRouting routing = CompanyRouting.of("Subfolder", "");

        assertThat(routing.decide(INBOX, INBOX.resolve("a.csv"), "a.csv", "demf"))
                .isEqualTo(new Decision("DEMF", null, null));
        Decision none = routing.decide(INBOX, INBOX.resolve("a.csv"), "a.csv", "");
        assertThat(none.refused()).isTrue();
        assertThat(none.refusal()).contains("directly in inbox/").contains("inbox/<company>/");
    }

    @Test
    void aNameTokenNamesTheCompany() {
        CompanyRouting routing = CompanyRouting.of("name:(?<company>[a-z0-9]{3,4})_.*", "");

        assertThat(routing.decide(INBOX, INBOX.resolve("usmf_orders.csv"), "usmf_orders.csv", ""))
                .isEqualTo(new Decision("USMF", null, null));
        assertThat(routing.isSubfolders()).isFalse();
    }

    @Test
    void aNameThatDoesNotMatchThePatternIsRefusedNamingThePattern() {
        CompanyRouting routing = CompanyRouting.of("name:(?<company>[a-z0-9]{3,4})_.*", "usmf");

        Decision decision = routing.decide(INBOX, INBOX.resolve("orders.csv"), "orders.csv", "usmf");

        assertThat(decision.refused()).isTrue();
        assertThat(decision.refusal()).contains("'orders.csv' does not match the pattern (?<company>[a-z0-9]{3,4})_.*");
    }

    @Test
    void anOptionalGroupThatIsEmptyFallsBackToTheJobsCompany() {
        CompanyRouting routing = CompanyRouting.of("name:(?:(?<company>[a-z]{4})_)?orders.*", "");

        assertThat(routing.decide(INBOX, INBOX.resolve("orders.csv"), "orders.csv", "usmf").company())
                .isEqualTo("USMF");
        assertThat(routing.decide(INBOX, INBOX.resolve("orders.csv"), "orders.csv", "").refused()).isTrue();
    }

    @Test
    void aCompanyOutsideAllowedCompaniesIsRefusedNamingItAndTheList() {
        CompanyRouting routing = CompanyRouting.of("name:(?<company>[a-z0-9]{3,4})_.*", "usmf, DEMF");

        assertThat(routing.decide(INBOX, INBOX.resolve("demf_a.csv"), "demf_a.csv", "").refused()).isFalse();
        Decision other = routing.decide(INBOX, INBOX.resolve("gbsi_a.csv"), "gbsi_a.csv", "");

        assertThat(other.company()).isEqualTo("GBSI");
        assertThat(other.refusal()).contains("'GBSI' is not one this job may import into")
                .contains("allowedCompanies: DEMF, USMF");
    }

    @Test
    void allowedCompaniesAppliesToTheJobsOwnCompanyToo() {
        assertThat(CompanyRouting.of("", "DEMF").decide(INBOX, INBOX.resolve("a.csv"), "a.csv", "usmf").refused())
                .isTrue();
        assertThat(CompanyRouting.of("", "USMF").decide(INBOX, INBOX.resolve("a.csv"), "a.csv", "usmf").refused())
                .isFalse();
    }

    @Test
    void companyFromAcceptsEmptySubfolderOrANamePatternWithACompanyGroup() {
        assertThat(JobParameters.problem("companyFrom", "")).isNull();
        assertThat(JobParameters.problem("companyFrom", " SUBFOLDER ")).isNull();
        assertThat(JobParameters.problem("companyFrom", "name:(?<company>[a-z0-9]{3,4})_.*")).isNull();

        assertThat(JobParameters.problem("companyFrom", "folder")).isEqualTo("companyFrom: 'folder' is not accepted; "
                + "write subfolder, name:<regular expression with a group (?<company>...)>, or nothing for the job's "
                + "company");
        assertThat(JobParameters.problem("companyFrom", "name:(?<company>[a-z")).startsWith("companyFrom: "
                + "'(?<company>[a-z' is not a regular expression (");
        assertThat(JobParameters.problem("companyFrom", "name:([a-z]{4})_.*")).isEqualTo("companyFrom: "
                + "'([a-z]{4})_.*' has no group named company; write the part of the name that is the company as "
                + "(?<company>...), e.g. name:(?<company>[a-z0-9]{3,4})_.*");
    }

    @Test
    void allowedCompaniesIsAListOfLegalEntityIds() {
        assertThat(JobParameters.problem("allowedCompanies", "")).isNull();
        assertThat(JobParameters.problem("allowedCompanies", "USMF, demf,DAT")).isNull();
        assertThat(JobParameters.problem("allowedCompanies", "USMF; DEMF")).isEqualTo("allowedCompanies: "
                + "'USMF; DEMF' is not a legal entity id; write D365 company ids (up to four letters or digits) "
                + "separated by commas, e.g. USMF, DEMF, or nothing for any company");
        assertThat(JobParameters.problem("allowedCompanies", "USMF,,DEMF")).contains("'' is not a legal entity id");
    }

    @Test
    void theSettingsRefuseABadValueNamingTheJob() {
        ImportJobSettings settings = new ImportJobSettings();
        settings.setName("orders");

        assertThatThrownBy(() -> settings.setCompanyFrom("name:(?<comp>.*)"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("job 'orders': companyFrom: '(?<comp>.*)' has no group named company");
        settings.setCompanyFrom("subfolder");
        settings.setAllowedCompanies("usmf");
        assertThat(settings.getCompanyRouting().isSubfolders()).isTrue();
        assertThat(settings.getCompanyRouting().decide(INBOX, INBOX.resolve("demf/a.csv"), "a.csv", "").refused())
                .isTrue();
    }

    @Test
    void sftpAndPackageTemplatesHaveNoCompanySubfolders() {
        assertThat(JobParameters.templateProblem("d365-sftp-import", "companyFrom", "subfolder")).isEqualTo(
                "companyFrom: subfolder is not supported for SFTP inboxes; use companyFrom: name:<pattern> or one job "
                        + "per company");
        assertThat(JobParameters.templateProblem("d365-package-import", "companyFrom", "subfolder"))
                .startsWith("companyFrom: subfolder is not supported for package jobs");
        assertThat(JobParameters.templateProblem("d365-sftp-import", "companyFrom", "name:(?<company>.*)")).isNull();
        assertThat(JobParameters.templateProblem("d365-file-import", "companyFrom", "subfolder")).isNull();
    }
}
