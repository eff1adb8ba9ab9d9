package io.github.rip.auth;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words a refusal for the person who must fix it: which setting is wrong, by the AADSTS code of Microsoft Entra ID's
 * answer, or what to check in D365 when it refuses a fresh token. The texts name settings, never their values.
 */
public final class AuthenticationFailures {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");
    /** Invalid or expired client secret. */
    private static final Set<String> SECRET = Set.of("7000215", "7000222");
    /** Neither a secret nor an assertion reached Entra ID. */
    private static final Set<String> NO_CREDENTIAL = Set.of("7000218", "7000216");
    /** A client assertion (certificate) that Entra ID cannot verify: unknown key, bad signature, wrong time. */
    private static final Set<String> CERTIFICATE = Set.of("700027", "700024", "700023", "50027");
    private static final Set<String> UNKNOWN_APP = Set.of("700016");
    private static final Set<String> DISABLED_APP = Set.of("7000112");
    private static final Set<String> TENANT = Set.of("90002", "900023", "90019");
    /** The scope (the D365 URL + /.default) is unknown in the tenant. */
    private static final Set<String> RESOURCE = Set.of("500011", "70011", "1002012", "500014");
    private static final int MAX_TEXT = 400;

    private AuthenticationFailures() {
    }

    /**
     * Microsoft Entra ID's token endpoint refused the credentials (a 4xx answer).
     *
     * @param description its error_description, with any secret already removed
     * @param certificate whether the runner authenticates with a certificate (else a client secret)
     */
    public static AuthenticationFailedException fromTokenEndpoint(String error, Integer status, String description,
                                                                  boolean certificate) {
        String text = description == null || description.isBlank() ? String.valueOf(error) : firstLine(description);
        Matcher m = AADSTS.matcher(text);
        String number = m.find() ? m.group(1) : "";
        String code = number.isEmpty() ? String.valueOf(error) : "AADSTS" + number;
        return new AuthenticationFailedException(AuthenticationFailedException.ENTRA_ID, code,
                "Microsoft Entra ID refused the token request: " + text, tokenFix(number, certificate), status);
    }

    /** D365 answered 401 or 403 to a call made with a fresh token: the app is not allowed in, or not on this job. */
    public static AuthenticationFailedException fromD365(String call, int status, String body, String activityId) {
        String answer = body == null || body.isBlank() ? "" : ": " + cut(body.strip());
        String job = activityId == null ? "the recurring data job" : "recurring data job " + activityId;
        String fix = "D365 refused the application even with a fresh token. Check in D365 that d365.client-id is "
                + "listed and enabled under System administration > Setup > Microsoft Entra ID applications (mapped to "
                + "a user), and that " + job + " allows it (Manage scheduled data jobs > Set up authorization policy). "
                + "A token for another environment is refused too: d365.base-url must be this environment's URL.";
        String scope = activityId == null ? AuthenticationFailedException.D365 : activityId;
        return new AuthenticationFailedException(scope, "HTTP " + status, call + " answered HTTP " + status + answer,
                fix, status);
    }

    private static String tokenFix(String number, boolean certificate) {
        if (SECRET.contains(number) || (NO_CREDENTIAL.contains(number) && !certificate)) {
            return "Fix d365.client-secret (environment D365_CLIENT_SECRET, or a file named by "
                    + "D365_CLIENT_SECRET_FILE): it must be the Value (not the Secret ID) of a current client secret of "
                    + "the app registration in Microsoft Entra ID (Certificates & secrets); an expired secret needs a "
                    + "new one.";
        }
        if ((CERTIFICATE.contains(number) || NO_CREDENTIAL.contains(number)) && certificate) {
            return "Fix d365.certificate.path (D365_CERTIFICATE_PATH) and d365.certificate.password: the PKCS12 "
                    + "file must hold the private key of a certificate that is uploaded to the app registration in "
                    + "Microsoft Entra ID (Certificates & secrets) and valid now.";
        }
        if (UNKNOWN_APP.contains(number)) {
            return "Fix d365.client-id (D365_CLIENT_ID): the tenant has no application with this id. Use the "
                    + "Application (client) ID of the app registration, and check that d365.tenant / d365.authority "
                    + "name the tenant it is registered in.";
        }
        if (DISABLED_APP.contains(number)) {
            return "The application of d365.client-id is disabled in Microsoft Entra ID: enable it (Enterprise "
                    + "applications > Properties) or fix d365.client-id.";
        }
        if (TENANT.contains(number)) {
            return "Fix d365.tenant (D365_TENANT: the directory (tenant) ID or domain) or d365.authority "
                    + "(D365_AUTHORITY: https://login.microsoftonline.com/<tenant>/): Microsoft Entra ID does not know "
                    + "this tenant.";
        }
        if (RESOURCE.contains(number)) {
            return "Fix d365.base-url (D365_BASE_URL): the token is requested for <d365.base-url>/.default and the "
                    + "tenant knows no D365 environment by that URL (use the environment's URL, e.g. "
                    + "https://contoso.operations.dynamics.com).";
        }
        return "Check d365.client-id, " + (certificate ? "d365.certificate.path / d365.certificate.password"
                : "d365.client-secret (D365_CLIENT_SECRET or D365_CLIENT_SECRET_FILE)")
                + " and d365.tenant / d365.authority.";
    }

    private static String firstLine(String text) {
        return cut(text.strip().lines().findFirst().orElse(""));
    }

    private static String cut(String text) {
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + " [...]" : text;
    }
}
