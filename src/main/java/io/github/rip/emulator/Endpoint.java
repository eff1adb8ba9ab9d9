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
    ADMIN;

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
            default -> null;
        };
    }
}
