package io.github.rip.operations;

/**
 * What an operator's action came to: done (200, or 202 when its effect follows shortly) or refused (409, the job or
 * message is not in a state that allows it), with a sentence for the page. Every result is journaled with who and when.
 */
public record ActionResult(int status, String outcome, String message) {

    static ActionResult done(String message) {
        return new ActionResult(200, "done", message);
    }

    static ActionResult accepted(String message) {
        return new ActionResult(202, "done", message);
    }

    static ActionResult refused(String message) {
        return new ActionResult(409, "refused", message);
    }
}
