package io.github.rip.emulator;

import java.io.IOException;

/**
 * A hook the router calls before every handler so tests can make the emulator fail on purpose (429 with Retry-After,
 * 500 on ack, dropped connections…). The default does nothing; real faults come with the fault-injection task.
 */
@FunctionalInterface
interface FaultInjector {

    FaultInjector NONE = call -> false;

    /**
     * Decides whether to fail this call.
     *
     * @return true if the injector already answered the call (the handler is then skipped)
     */
    boolean intercept(HttpCall call) throws IOException;
}
