package io.github.rip.importing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.rip.support.ValueRule;

/**
 * Which legal entity (D365 company, DataAreaId) a file is imported into: the job's {@code company} for every file, or
 * one per file taken from its inbox subfolder ({@code companyFrom: subfolder}: inbox/usmf/a.csv) or from a token of its
 * name ({@code companyFrom: "name:(?<company>[a-z0-9]{3,4})_.*"}), checked against the job's {@code allowedCompanies}.
 * A file whose company cannot be told or is not allowed is refused with a report (never sent to a wrong company).
 *
 * <p>Legal entity ids are case-insensitive in D365, which shows them in upper case: a company taken from a file is
 * sent, journaled and reported in upper case, so inbox/usmf/ and inbox/USMF/ are the same company. The job's own
 * {@code company} without {@code companyFrom} is sent as configured, as before.
 */
public final class CompanyRouting {

    public static final String SUBFOLDER = "subfolder";
    public static final String NAME = "name:";
    /** The named group of a name pattern that holds the company. */
    public static final String GROUP = "company";
    /** D365's DataAreaId: at most four letters or digits. */
    static final Pattern LEGAL_ENTITY = ValueRule.LEGAL_ENTITY;

    /** Where a file's company comes from. */
    public enum Source { JOB, SUBFOLDER, NAME }

    /**
     * The company of one file, or why it has none.
     *
     * @param company   the legal entity the file goes to ("" for none: D365's default company of the app); null if refused
     * @param subfolder the inbox subfolder the file lies in (its archive keeps it), or null
     * @param refusal   why the file cannot be imported (the report says it), or null
     */
    public record Decision(String company, String subfolder, String refusal) {

        public boolean refused() {
            return refusal != null;
        }
    }

    private final Source from;
    private final Pattern namePattern;
    private final Set<String> allowed;

    private CompanyRouting(Source source, Pattern namePattern, Set<String> allowed) {
        this.from = source;
        this.namePattern = namePattern;
        this.allowed = allowed;
    }

    /** The routing a job's two parameters describe; they must have passed their checks (JobParameters). */
    public static CompanyRouting of(String companyFrom, String allowedCompanies) {
        String from = companyFrom == null ? "" : companyFrom.trim();
        Set<String> allowed = allowedCompanies == null || allowedCompanies.isBlank() ? Set.of()
                : Arrays.stream(allowedCompanies.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(CompanyRouting::normalized).collect(Collectors.toCollection(TreeSet::new));
        if (from.isEmpty()) {
            return new CompanyRouting(Source.JOB, null, allowed);
        }
        if (from.equalsIgnoreCase(SUBFOLDER)) {
            return new CompanyRouting(Source.SUBFOLDER, null, allowed);
        }
        return new CompanyRouting(Source.NAME, Pattern.compile(from.substring(NAME.length())), allowed);
    }

    /** Whether files are taken from company subfolders of the inbox (one level deep). */
    public boolean isSubfolders() {
        return from == Source.SUBFOLDER;
    }

    /** Whether each file may have its own company (then the journal tells files apart by company too). */
    public boolean isPerFile() {
        return from != Source.JOB;
    }

    /**
     * The company of a file: {@code inbox} is the job's inbox, {@code source} the consumed file, {@code fileName} the
     * name D365 sees, {@code jobCompany} the job's {@code company} (the default).
     */
    public Decision decide(Path inbox, Path file, String fileName, String jobCompany) {
        String fallback = jobCompany == null ? "" : jobCompany.trim();
        return switch (from) {
            case JOB -> allowed(fallback, null);
            case SUBFOLDER -> bySubfolder(inbox, file, fallback);
            case NAME -> byName(fileName, fallback);
        };
    }

    private Decision bySubfolder(Path inbox, Path file, String fallback) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent == null || parent.equals(inbox.toAbsolutePath().normalize())) {
            if (fallback.isEmpty()) {
                return new Decision(null, null, "The file lies directly in inbox/, but this job takes the company from "
                        + "the subfolder (companyFrom: subfolder) and has no default company. Move it into "
                        + "inbox/<company>/, e.g. inbox/USMF/, or give the job a company.");
            }
            return allowed(normalized(fallback), null);
        }
        String folder = parent.getFileName().toString();
        if (!LEGAL_ENTITY.matcher(folder).matches()) {
            return new Decision(null, folder, "It lies in the subfolder '" + folder + "', which is not a legal entity "
                    + "id (up to four letters or digits); this job takes the company from the subfolder "
                    + "(companyFrom: subfolder).");
        }
        return allowed(normalized(folder), folder);
    }

    private Decision byName(String fileName, String fallback) {
        Matcher m = namePattern.matcher(fileName);
        if (!m.matches()) {
            return new Decision(null, null, "The file name '" + fileName + "' does not match the pattern "
                    + namePattern.pattern() + " that names its company (companyFrom), so the company to import it "
                    + "into is unknown. Rename the file to match the pattern and drop it again.");
        }
        String token = m.group(GROUP);
        if (token == null || token.isBlank()) {
            if (fallback.isEmpty()) {
                return new Decision(null, null, "The file name '" + fileName + "' names no company (the group company "
                        + "of " + namePattern.pattern() + " is empty) and this job has no default company.");
            }
            return allowed(normalized(fallback), null);
        }
        return allowed(normalized(token), null);
    }

    private Decision allowed(String company, String subfolder) {
        if (allowed.isEmpty() || allowed.contains(normalized(company))) {
            return new Decision(company, subfolder, null);
        }
        return new Decision(company, subfolder, "The company " + (company.isEmpty() ? "(none)" : "'" + company + "'")
                + " is not one this job may import into; allowedCompanies: " + String.join(", ", allowed)
                + ". Nothing was sent to D365.");
    }

    private static String normalized(String company) {
        return company.trim().toUpperCase(Locale.ROOT);
    }
}
