package io.github.rip.importing;

/**
 * A file that cannot be imported as it is: D365 answered 4xx, the package is broken, the XSLT failed, it is a duplicate.
 * Permanent: the file goes to failed/ with a report built from this exception.
 */
public class ImportRejectedException extends RuntimeException {

    private final Integer httpStatus;
    private final String responseBody;

    public ImportRejectedException(String message) {
        this(message, null, null);
    }

    public ImportRejectedException(String message, Integer httpStatus, String responseBody) {
        super(message);
        this.httpStatus = httpStatus;
        this.responseBody = responseBody;
    }

    public Integer httpStatus() {
        return httpStatus;
    }

    public String responseBody() {
        return responseBody;
    }
}
