package io.github.rip.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fault injection over HTTP, so an outage can be rehearsed against a running emulator:
 * <pre>
 * GET    /admin/faults        {"faults":[{"id":1,"endpoint":"enqueue","kind":"fail","status":503,...}]}
 * POST   /admin/faults        body: one fault as JSON, the keys of a YAML entry ({@link FaultSpecFormat}); 201 + it
 * DELETE /admin/faults/{id}   204, or 404 when no pending fault has the id
 * DELETE /admin/faults        200 {"removed":n}
 * </pre>
 * Guarded like {@link AdminApi} (a bearer token for this environment; as no job is named, the app must be enabled on
 * at least one). These routes are never faulted themselves, so a fault on {@code admin} can still be removed.
 */
final class FaultAdminApi {

    /** A fault entry is a few hundred bytes; anything far larger is not one. */
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final TypeReference<Map<String, Object>> ENTRY = new TypeReference<>() {
    };

    private final ConnectorAuthorizer authorizer;
    private final FaultInjector faults;

    FaultAdminApi(ConnectorAuthorizer authorizer, FaultInjector faults) {
        this.authorizer = authorizer;
        this.faults = faults;
    }

    void register(HttpRouter router) {
        router.routeWithoutFaults("GET", "/admin/faults", "admin-faults-list", this::list)
                .routeWithoutFaults("POST", "/admin/faults", "admin-faults-add", this::add)
                .routeWithoutFaults("DELETE", "/admin/faults", "admin-faults-remove-all", this::removeAll)
                .routeWithoutFaults("DELETE", "/admin/faults/{id}", "admin-faults-remove", this::remove);
    }

    private void list(HttpCall call) throws IOException {
        authorizer.authorizeAdmin(call);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("faults");
        faults.active().forEach(fault -> list.add(FaultSpecFormat.toJson(fault)));
        call.sendJson(200, body.toString());
    }

    private void add(HttpCall call) throws IOException {
        authorizer.authorizeAdmin(call);
        FaultSpec spec;
        try {
            spec = FaultSpecFormat.parse(readEntry(call), null);
        } catch (IllegalArgumentException e) {
            throw ConnectorError.badRequest("Invalid fault: " + e.getMessage());
        }
        FaultInjector.ActiveFault added = faults.add(spec);
        call.setHeader("Location", "/admin/faults/" + added.id());
        call.sendJson(201, FaultSpecFormat.toJson(added).toString());
    }

    private void remove(HttpCall call) throws IOException {
        authorizer.authorizeAdmin(call);
        String id = call.pathParam("id");
        long number;
        try {
            number = Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw ConnectorError.notFound("No pending fault has the id " + id + "; GET /admin/faults lists them.");
        }
        if (!faults.remove(number)) {
            throw ConnectorError.notFound("No pending fault has the id " + id + "; GET /admin/faults lists them.");
        }
        call.sendEmpty(204);
    }

    private void removeAll(HttpCall call) throws IOException {
        authorizer.authorizeAdmin(call);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("removed", faults.removeAll());
        call.sendJson(200, body.toString());
    }

    private static Map<String, Object> readEntry(HttpCall call) throws IOException {
        byte[] bytes;
        try (InputStream in = call.body()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            in.transferTo(OutputStream.nullOutputStream()); // keeps the connection usable after a 400
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body must be one fault as a JSON object, e.g."
                    + " {\"endpoint\":\"enqueue\",\"kind\":\"fail\",\"status\":503,\"times\":3}");
        }
        return Json.MAPPER.convertValue(json, ENTRY);
    }
}
