/**
 * The D365 emulator: a local HTTPS stand-in for Dynamics 365 F&O's recurring-integrations ("connector") API, its data
 * management package API (with a blob endpoint of its own) and the Entra ID token endpoint, used by every end-to-end test and by the runner when no D365 URL is configured.
 *
 * <p>Entry points: {@link io.github.rip.emulator.D365Emulator} (in-process), {@link io.github.rip.emulator.EmulatorMain}
 * (standalone), {@link io.github.rip.emulator.EmulatorConfig} (code or {@code emulator/emulator.yaml}, read by
 * {@code EmulatorConfigYaml} with Jackson), and {@link io.github.rip.emulator.EmbeddedEmulator}, the pack's way in
 * (the pack's {@code EmbeddedD365} interface, through ServiceLoader). No other class here uses the pack's code, and
 * no pack class uses this package ({@code EmulatorIndependenceTest}): packages are judged by the emulator's own
 * reader, so a packaging bug in the pack cannot pass here too.
 *
 * <p>How a request flows: {@code HttpRouter} (route table, language prefix, request counts per {@link
 * io.github.rip.emulator.Endpoint}, then {@link io.github.rip.emulator.FaultInjector}) → {@code TokenEndpoint},
 * {@code ConnectorApi}, {@code ExportApi}, {@code AdminApi} or {@code FaultAdminApi} ({@code ConnectorAuthorizer}
 * first).
 * Import: {@code MessageStore} (one JSON + one body file per message) → {@code ProcessingSimulator} →
 * {@code MessageProcessor} / {@code PackageProcessor} (zip: {@code PackageZip}, Manifest.xml and PackageHeader.xml:
 * {@code PackageXml}) → {@code EntityFileChecker} over a {@code CsvRecordSource} (jackson-dataformat-csv) or
 * {@code XmlRecordSource}. Export: {@code ExportPublisher} (files, packages of {@code ExportDataGenerator} rows written
 * by {@code PackageWriter}, schedules) → {@code ExportStore} ({@code <dataDir>/exports/}, apart from the import
 * messages) → {@code ExportApi} (dequeue, download, ack). Package API: {@code PackageApi} (OData actions; imports become
 * messages of the same simulator, tracked by execution id in {@code PackageExecutions}; exports write a generated
 * package into {@code BlobStore}) and {@code BlobApi} (PUT / GET of SAS-like URLs).
 *
 * <p>Choices where D365 behaviour is UNCONFIRMED (docs/d365-api.md §8), so clients must not depend on them:
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
 *       PreProcessError, like a missing Manifest.xml does. So do a Manifest.xml or PackageHeader.xml outside D365's
 *       namespace (DataContractSerializer's rule), entries that would unpack outside the package folder or twice
 *       into it, and an entity without SourceFormat or InputFilePath. An entity without EntityMapList imports
 *       nothing and is Processed with a warning (reported by a third party).</li>
 *   <li>Raw, unencoded braces in the path ({@code /enqueue/{GUID}}) are refused by the JDK HTTP server itself
 *       (400 "URISyntaxException thrown") before the emulator sees them; {@code %7B…%7D}, bare and any-case ids work.</li>
 *   <li>Dequeue is GET only (POST gets 405). A message with a file answers {@code FileDownLoadErrorMessage: null};
 *       {@code LastDequeueDateTime} is null on the first dequeue, then the previous dequeue time in the configured
 *       date format (ISO-8601 UTC by default).</li>
 *   <li>Redelivery after the visibility timeout always brings a new PopReceipt; the CorrelationId stays unless
 *       {@code redeliveryNewCorrelationId} is on. jobstatus answers for every CorrelationId a message had, with
 *       {@code DataJobIdentifier} = the current one. Export states: Enqueued(0) → Dequeued(1) → Acked(3); a download
 *       does not change the state (Downloaded(2) is not used).</li>
 *   <li>Ack matches CorrelationId + PopReceipt (field names any case; DownloadLocation is not checked because
 *       clients rewrite it). Only the latest PopReceipt acks; it stays valid past the visibility timeout until the
 *       message is dequeued again (as with Azure queues) and across restarts. A stale PopReceipt, an earlier
 *       CorrelationId, an unknown one or a message never dequeued: 400 with the usual JSON shape and a message
 *       saying which. Repeating a successful ack with the same PopReceipt answers 200 again (idempotent), so a
 *       client whose ack response was lost can simply retry. A successful ack answers 200 with an empty body.</li>
 *   <li>After an ack the package file is deleted (downloads get 404); the state record stays for jobstatus.
 *       Download needs the bearer token and the app enabled on the job, like every connector call; it answers
 *       {@code application/zip} when the file is a zip, else {@code application/octet-stream}; an unknown blob, or
 *       a {@code correlation-id} the blob does not belong to, gets 404.</li>
 *   <li>dequeue / download / ack on an import job, and enqueue on an export job: 400.</li>
 *   <li>{@code POST /admin/exports/{activityId}/publish} (not a D365 endpoint) needs the same bearer token as the
 *       connector API rather than "localhost only": in a container the emulator binds 0.0.0.0 and requests from the
 *       host come from a bridge address, and one check everywhere means one token drives both sides.</li>
 *   <li>{@code /admin/faults} (list / add / remove faults, {@code FaultAdminApi}) names no job,
 *       so it takes the same token from an app enabled on at least one recurring job; it is never faulted itself.</li>
 *   <li>Fault injection acts before authentication and is counted in {@code requestCount}; see
 *       {@link io.github.rip.emulator.FaultInjector}.</li>
 *   <li>Package API: any valid token may call the actions (no job's authorization policy applies). Unknown data
 *       project, unknown execution id, an execution id used before, a package URL that names no uploaded blob, a
 *       missing parameter: 400 with the OData error shape ({@code ODataError}). GetExecutionSummaryStatus of an
 *       import: NotRun while Enqueued, Executing while InProcess, Succeeded, PartiallySucceeded (errors but some
 *       records imported) or Failed; of an export: Executing for processingDelay + processingTime, then Succeeded.
 *       GetExecutionErrors: a JSON text of {@code {EntityName, RecordId, Field, ErrorMessage}}; for a package
 *       rejected as a whole, one element with the execution log. {@code execute=false} and {@code overwrite} are
 *       recorded, not simulated.</li>
 *   <li>Blob URLs: {@code /blob/dmf/<GUID>?sv&sr=b&sp=w|r&se&sig} (HMAC-SHA256), valid 1 hour (changeable at runtime,
 *       {@code D365Emulator.blobUrlLifetime}); expired or wrong signature: 403 {@code AuthenticationFailed}, wrong
 *       permission: 403 {@code AuthorizationPermissionMismatch}, no {@code x-ms-blob-type: BlockBlob}: 400, an
 *       {@code Authorization} header: 403 and counted ({@code blobRequestsWithBearerToken}); XML error bodies as
 *       Azure Storage writes them. A PUT answers 201; a broken upload leaves no blob.</li>
 * </ul>
 */
package io.github.rip.emulator;
