/**
 * The D365 emulator: a local HTTPS stand-in for Dynamics 365 F&O's recurring-integrations ("connector") API and the
 * Entra ID token endpoint, used by every end-to-end test and by the runner when no D365 URL is configured.
 *
 * <p>Entry points: {@link io.github.rip.emulator.D365Emulator} (in-process), {@link io.github.rip.emulator.EmulatorMain}
 * (standalone), {@link io.github.rip.emulator.EmulatorConfig} (code or {@code emulator/emulator.yaml}).
 *
 * <p>How a request flows: {@code HttpRouter} (route table, language prefix, fault-injection hook) →
 * {@code TokenEndpoint} or {@code ConnectorApi} ({@code ConnectorAuthorizer} first) → {@code MessageStore} (one JSON +
 * one body file per message) → {@code ProcessingSimulator} → {@code MessageProcessor} / {@code PackageProcessor} →
 * {@code EntityFileChecker} over a {@code CsvRecordSource} or {@code XmlRecordSource}.
 *
 * <p>Choices where D365 behaviour is UNCONFIRMED (d365-api.md §8), so clients must not depend on them:
 * <ul>
 *   <li>An app not enabled on the job gets 401 with the observed {@code {"Message","StackTrace","ExceptionType"}}
 *       shape and a message naming app and job; token failures get the observed "Authentication failed." body plus a
 *       {@code WWW-Authenticate} header with the reason.</li>
 *   <li>Unknown activity or message: 404 with the same JSON shape; a missing {@code jobId}: 400.</li>
 *   <li>jobstatus before completion: {@code ExecutionIdentifier} and unreached dates are null,
 *       {@code ExecutionDetail} is empty; {@code DataJobIdentifier} is the message id.</li>
 *   <li>Staging vs target errors: a record that does not split into the header's fields fails at staging; an empty
 *       required column fails at target; an entity status is Error if any of its records failed there.</li>
 *   <li>Package entities whose file is unreadable or lacks a mapped/required column make the whole message a
 *       PreProcessError, like a missing Manifest.xml does.</li>
 *   <li>Raw, unencoded braces in the path ({@code /enqueue/{GUID}}) are refused by the JDK HTTP server itself
 *       (400 "URISyntaxException thrown") before the emulator sees them; {@code %7B…%7D}, bare and any-case ids work.</li>
 * </ul>
 */
package io.github.rip.emulator;
