package io.github.rip.emulator;

/** The emulator endpoints that fault injection and request counting address. */
public enum Endpoint {
    /** The token endpoint (v2 and v1); not the discovery documents. */
    TOKEN,
    ENQUEUE,
    JOBSTATUS,
    DEQUEUE,
    DOWNLOAD,
    ACK,
    /** The emulator's own admin endpoints ({@code /admin/…}), e.g. publishing an export. */
    ADMIN,
    /** The data management package API's OData actions ({@link PackageApi}), one endpoint each. */
    GET_AZURE_WRITE_URL,
    IMPORT_FROM_PACKAGE,
    EXPORT_TO_PACKAGE,
    GET_EXECUTION_SUMMARY_STATUS,
    GET_EXPORTED_PACKAGE_URL,
    GET_EXECUTION_ERRORS,
    /** The emulator's blob storage ({@link BlobApi}): PUT of an uploaded package, GET of an exported one. */
    BLOB_UPLOAD,
    BLOB_DOWNLOAD;

    /** The endpoint a route belongs to, null for routes nobody counts (OIDC discovery, keys). */
    static Endpoint forRoute(String routeName) {
        if (routeName == null) {
            return null;
        }
        if (routeName.startsWith("admin-")) {
            return ADMIN;
        }
        return switch (routeName) {
            case "token", "token-v1" -> TOKEN;
            case "enqueue" -> ENQUEUE;
            case "jobstatus" -> JOBSTATUS;
            case "dequeue" -> DEQUEUE;
            case "download" -> DOWNLOAD;
            case "ack" -> ACK;
            case "GetAzureWriteUrl" -> GET_AZURE_WRITE_URL;
            case "ImportFromPackage" -> IMPORT_FROM_PACKAGE;
            case "ExportToPackage" -> EXPORT_TO_PACKAGE;
            case "GetExecutionSummaryStatus" -> GET_EXECUTION_SUMMARY_STATUS;
            case "GetExportedPackageUrl" -> GET_EXPORTED_PACKAGE_URL;
            case "GetExecutionErrors" -> GET_EXECUTION_ERRORS;
            case "blob-upload" -> BLOB_UPLOAD;
            case "blob-download" -> BLOB_DOWNLOAD;
            default -> null;
        };
    }
}
