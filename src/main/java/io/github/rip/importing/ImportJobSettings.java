package io.github.rip.importing;

import java.nio.file.Path;

import io.github.rip.support.JobParameters;

/**
 * What an import job is told by its route template's parameters (the template's {@code settings:} block); checked as
 * each value is set, so a bad value stops the start naming the job and the parameter. An {@link ImportJob} holds one.
 */
public class ImportJobSettings {

    private String name;
    private String activityId;
    private String entity = "";
    private String company = "";
    private String jobFolder;
    private String duplicatePolicy = "reject";
    private int duplicateWindowDays = 30;
    private boolean allowLinks;
    private String transform = "";
    private String environment = "";
    private String companyFrom = "";
    private String allowedCompanies = "";
    private CompanyRouting companyRouting = CompanyRouting.of("", "");

    /** One of the job's folders: inbox, sent, processed, failed, work. */
    public Path folder(String which) {
        return Path.of(jobFolder, which).toAbsolutePath();
    }

    public boolean rejectsDuplicates() {
        return "reject".equalsIgnoreCase(duplicatePolicy);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getActivityId() {
        return activityId;
    }

    public void setActivityId(String activityId) {
        this.activityId = activityId;
    }

    public String getEntity() {
        return entity;
    }

    public void setEntity(String entity) {
        this.entity = entity;
    }

    public String getCompany() {
        return company;
    }

    public void setCompany(String company) {
        this.company = company;
    }

    /** Where each file's company comes from: "" (the job's company), subfolder, or name:&lt;pattern&gt;. */
    public String getCompanyFrom() {
        return companyFrom;
    }

    public void setCompanyFrom(String companyFrom) {
        this.companyFrom = JobParameters.checked(name, JobParameters.COMPANY_FROM, companyFrom);
        this.companyRouting = CompanyRouting.of(this.companyFrom, allowedCompanies);
    }

    /** The legal entities files may go to (comma-separated, any case); empty = any. */
    public String getAllowedCompanies() {
        return allowedCompanies;
    }

    public void setAllowedCompanies(String allowedCompanies) {
        this.allowedCompanies = JobParameters.checked(name, "allowedCompanies", allowedCompanies);
        this.companyRouting = CompanyRouting.of(companyFrom, this.allowedCompanies);
    }

    /** How a file's company is told, from companyFrom and allowedCompanies. */
    public CompanyRouting getCompanyRouting() {
        return companyRouting;
    }

    public void setJobFolder(String jobFolder) {
        this.jobFolder = jobFolder;
    }

    /** reject or allow; anything else is refused (it used to mean "allow" without a word). */
    public void setDuplicatePolicy(String duplicatePolicy) {
        this.duplicatePolicy = JobParameters.choice(name, JobParameters.DUPLICATE_POLICY, duplicatePolicy);
    }

    public int getDuplicateWindowDays() {
        return duplicateWindowDays;
    }

    public void setDuplicateWindowDays(int duplicateWindowDays) {
        this.duplicateWindowDays = duplicateWindowDays;
    }

    /** Symbolic links in the inbox are refused unless the job allows those that stay inside the inbox. */
    public boolean isAllowLinks() {
        return allowLinks;
    }

    /** true or false only. */
    public void setAllowLinks(String allowLinks) {
        this.allowLinks = JobParameters.flag(name, "allowLinks", allowLinks);
    }

    /** The D365 environment the job talks to: "" for the default one, else a name from d365.environments.*. */
    public String getEnvironment() {
        return environment;
    }

    public void setEnvironment(String environment) {
        this.environment = environment == null ? "" : environment.trim();
    }

    /** The XSLT stylesheet applied (Saxon) before upload, or empty for none. */
    public String getTransform() {
        return transform;
    }

    public void setTransform(String transform) {
        this.transform = transform;
    }
}
