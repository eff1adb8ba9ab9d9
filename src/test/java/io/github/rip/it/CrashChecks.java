package io.github.rip.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.github.rip.emulator.D365Emulator;
import io.github.rip.emulator.EmulatorMessage;
import io.github.rip.emulator.ExportMessage;

/**
 * What the crash test checks once everything settled, written as a list of findings (one line each, naming the files
 * and messages) rather than a first failing assertion, so one run shows everything that went wrong. The evidence is
 * the emulator's own record (what D365 received, acked) and the folders, never the runner's journal.
 */
final class CrashChecks {

    /** ImportReport's words for a file whose enqueue may have reached D365 twice. */
    static final String REPORT_EXTRA_COPY = "may hold an extra copy";
    /** ImportJob's WARN when it enqueues again after a request that got no answer. */
    static final String LOG_DUPLICATE = "D365 may hold a duplicate";
    private static final Pattern REPORT_MESSAGE_ID = Pattern.compile("(?m)^Message id:\\s+([^,\\s]+),");
    private static final Pattern REPORT_WARNING = Pattern.compile("(?m)^Warning:\\s+(\\d+) earlier enqueue");
    private static final Set<String> PACKAGE_FILES = Set.of("Manifest.xml", "PackageHeader.xml");
    /** A dripped file's name or a GUID (message, CorrelationId) in a finding. */
    private static final Pattern TRACED =
            Pattern.compile("groups-\\d{4}\\.csv|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    private final List<String> problems = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    String summary() {
        return String.join(", ", summary);
    }

    /**
     * Import: every file archived exactly once in processed/ with a PROCESSED report naming a message D365 holds with
     * the file's bytes; nothing left in inbox/, sent/, failed/; extra copies in D365 at most one per request in flight
     * at a kill ({@code maxInFlight} per kill), each one warned about in a runner log and in the file's report.
     */
    void imports(Path job, Map<String, byte[]> files, D365Emulator emulator, String activityId, int kills,
                 int maxInFlight, List<Path> logs) throws IOException {
        for (String folder : List.of("inbox", "sent", "failed")) {
            List<String> left = names(job.resolve(folder));
            if (!left.isEmpty()) {
                problems.add(folder + "/ is not empty: " + left);
            }
        }
        List<String> processed = names(job.resolve("processed"));
        Set<String> archived = processed.stream().filter(n -> !n.endsWith(".report.txt")).collect(toSortedSet());
        Set<String> reports = processed.stream().filter(n -> n.endsWith(".report.txt")).collect(toSortedSet());
        difference("processed/ lacks", files.keySet(), archived);
        difference("processed/ holds unexpected files (a second copy or a stray name)", archived, files.keySet());
        Set<String> expectedReports = files.keySet().stream().map(n -> n + ".report.txt").collect(toSortedSet());
        difference("processed/ lacks the report", expectedReports, reports);
        difference("processed/ holds unexpected reports", reports, expectedReports);

        Map<String, List<EmulatorMessage>> received = new TreeMap<>();
        for (EmulatorMessage m : emulator.messages()) {
            if (!m.activityId().equalsIgnoreCase(activityId)) {
                problems.add("D365 got message " + m.id() + " for another activity " + m.activityId());
            } else if (!files.containsKey(m.externalIdentifier())) {
                problems.add("D365 got message " + m.id() + " for a file the test never wrote: "
                        + m.externalIdentifier());
            } else {
                received.computeIfAbsent(m.externalIdentifier(), k -> new ArrayList<>()).add(m);
                if (!Arrays.equals(Files.readAllBytes(m.bodyPath()), files.get(m.externalIdentifier()))) {
                    problems.add("D365 message " + m.id() + " for " + m.externalIdentifier()
                            + " holds other bytes than the file");
                }
            }
        }
        difference("D365 never received", files.keySet(), received.keySet());

        String allLogs = logs.stream().map(CrashChecks::read).collect(Collectors.joining("\n"));
        int extraCopies = 0;
        int warnedFiles = 0;
        for (String name : files.keySet()) {
            Path archivedFile = job.resolve("processed").resolve(name);
            Path report = job.resolve("processed").resolve(name + ".report.txt");
            if (!Files.exists(archivedFile) || !Files.exists(report)) {
                continue; // already listed above
            }
            if (!Arrays.equals(Files.readAllBytes(archivedFile), files.get(name))) {
                problems.add("processed/" + name + " differs from the file dropped into the inbox");
            }
            String text = read(report);
            if (!text.startsWith("Result:      PROCESSED")) {
                problems.add(name + " report does not say PROCESSED: " + text.lines().findFirst().orElse(""));
            }
            checkMessageOfReport(name, text, files.get(name), emulator);
            int copies = received.getOrDefault(name, List.of()).size();
            int warned = match(REPORT_WARNING, text).map(Integer::parseInt).orElse(0);
            warnedFiles += warned > 0 ? 1 : 0;
            if (copies > 1) {
                extraCopies += copies - 1;
                if (!text.contains(REPORT_EXTRA_COPY) || warned < copies - 1) {
                    problems.add(name + " reached D365 " + copies + " times but its report warns of " + warned
                            + " possible extra copies ('" + REPORT_EXTRA_COPY + "')");
                }
                if (allLogs.lines().noneMatch(l -> l.contains(LOG_DUPLICATE) && l.contains(name))) {
                    problems.add(name + " reached D365 " + copies + " times but no runner log warns '" + LOG_DUPLICATE
                            + "' for it");
                }
            }
        }
        if (extraCopies > kills * maxInFlight) {
            problems.add(extraCopies + " extra copies in D365 for " + kills + " kills (at most " + maxInFlight
                    + " per kill, one per request in flight): "
                    + received.entrySet().stream().filter(e -> e.getValue().size() > 1)
                    .map(e -> e.getKey() + " x" + e.getValue().size()).toList());
        }
        summary.add(files.size() + " files, " + archived.size() + " processed, " + received.values().stream()
                .mapToInt(List::size).sum() + " enqueues received, " + extraCopies + " extra copies, " + warnedFiles
                + " reports warning of one");
    }

    /** The report's message id exists in D365, for this file, with exactly the file's bytes. */
    private void checkMessageOfReport(String name, String report, byte[] content, D365Emulator emulator)
            throws IOException {
        Optional<String> messageId = match(REPORT_MESSAGE_ID, report);
        if (messageId.isEmpty()) {
            problems.add(name + " report names no message id");
            return;
        }
        Optional<EmulatorMessage> message = emulator.message(messageId.get());
        if (message.isEmpty()) {
            problems.add(name + " is reported PROCESSED as message " + messageId.get() + ", which D365 never received");
        } else if (!name.equals(message.get().externalIdentifier())
                || !Arrays.equals(Files.readAllBytes(message.get().bodyPath()), content)) {
            problems.add(name + " is reported PROCESSED as message " + messageId.get() + ", which holds "
                    + message.get().externalIdentifier() + " / other bytes");
        }
    }

    /**
     * Export (published: CorrelationId to the SHA-256 of each entity file): every published message acked, its
     * entity files delivered exactly once (one file per entity of its package, same content hash, nothing under a
     * second name) and no temporary .part- file left behind.
     */
    void exports(Path outbox, Path jobFolder, D365Emulator emulator, Map<String, Map<String, String>> published)
            throws IOException {
        List<String> delivered = names(outbox);
        delivered.stream().filter(n -> n.startsWith("."))
                .forEach(n -> problems.add("outbox holds a temporary file " + n));
        List<String> failed = names(jobFolder.resolve("failed"));
        if (!failed.isEmpty()) {
            problems.add("the export job's failed/ is not empty: " + failed);
        }
        List<ExportMessage> messages = emulator.exportMessages();
        difference("D365 has no export message",
                published.keySet().stream().map(CrashChecks::lower).collect(toSortedSet()),
                messages.stream().map(m -> lower(m.id())).collect(toSortedSet()));
        Set<String> claimed = new TreeSet<>();
        int dequeues = 0;
        for (ExportMessage m : messages) {
            dequeues += m.dequeueCount();
            if (m.ackedAt() == null) {
                problems.add("export message " + m.id() + " was never acked (state " + m.state() + ", dequeued "
                        + m.dequeueCount() + " times)");
            }
            Map<String, String> expected = published.getOrDefault(m.id(), Map.of());
            String id = lower(m.correlationId());
            List<String> mine = delivered.stream().filter(n -> lower(n).contains(id)).toList();
            claimed.addAll(mine);
            List<String> hashes = new ArrayList<>();
            for (String n : mine) {
                hashes.add(sha256(Files.readAllBytes(outbox.resolve(n))));
            }
            if (mine.size() != expected.size() || !new TreeSet<>(hashes).equals(new TreeSet<>(expected.values()))) {
                problems.add("export message " + m.id() + " should be delivered once as " + expected.keySet()
                        + " but the outbox holds " + mine
                        + (mine.size() == expected.size() ? " with other content" : ""));
            }
        }
        List<String> strays = delivered.stream().filter(n -> !claimed.contains(n) && !n.startsWith(".")).toList();
        if (!strays.isEmpty()) {
            problems.add("outbox files of no export message: " + strays);
        }
        summary.add(messages.size() + " export messages, " + dequeues + " dequeues, " + delivered.size()
                + " files delivered");
    }

    /**
     * SHA-256 of each entity file of a package (Manifest.xml and PackageHeader.xml are not delivered). Read when it is
     * published: the emulator deletes a package once it is acked.
     */
    static Map<String, String> entityHashes(Path zip) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!PACKAGE_FILES.contains(e.getName())) {
                    out.put(e.getName(), sha256(in.readAllBytes()));
                }
            }
        }
        return out;
    }

    private void difference(String what, Set<String> expected, Set<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        if (!missing.isEmpty()) {
            problems.add(what + " (" + missing.size() + "): " + abbreviate(missing));
        }
    }

    private static String abbreviate(Set<String> names) {
        return names.size() <= 20 ? names.toString()
                : names.stream().limit(20).collect(Collectors.joining(", ", "[", ", ...]"));
    }

    /**
     * For a failure message: every runner log line naming a file or message that a finding names, in run order, so
     * the message shows what the runners did with it around the kills.
     */
    String traces(List<RunnerProcess> runs, int limit) {
        Set<String> names = new TreeSet<>();
        Matcher m = TRACED.matcher(String.join("\n", problems));
        while (m.find()) {
            names.add(m.group());
        }
        StringBuilder out = new StringBuilder();
        int count = 0;
        for (int i = 0; i < runs.size() && count < limit; i++) {
            for (String line : runs.get(i).lines()) {
                if (count < limit && names.stream().anyMatch(line::contains)) {
                    out.append("runner-").append(i + 1).append(": ").append(line).append('\n');
                    count++;
                }
            }
        }
        return names.isEmpty() ? "" : "--- runner log lines naming " + names + ":\n" + out;
    }

    /** Names of the regular files in a folder, hidden ones included; empty when it does not exist. */
    static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static Optional<String> match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.stream.Collector<String, ?, TreeSet<String>> toSortedSet() {
        return Collectors.toCollection(TreeSet::new);
    }
}
