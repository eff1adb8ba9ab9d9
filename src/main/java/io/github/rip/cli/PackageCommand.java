package io.github.rip.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.rip.packaging.EntitySpec;
import io.github.rip.packaging.PackageBuildException;
import io.github.rip.packaging.PackageBuilder;
import io.github.rip.packaging.PackageContents;
import io.github.rip.packaging.PackageEntity;
import io.github.rip.packaging.PackageManifest;
import io.github.rip.packaging.PackageOptions;
import io.github.rip.packaging.PackageReader;

/**
 * {@code java -jar recurring-integrations-pack.jar package build|check ...}: the package job's local steps as a tool,
 * for a support case or a script. {@code build} makes the data package a {@code d365-package-import} job would make of
 * a batch folder (the same {@link PackageBuilder}); {@code check} runs the validation a package job runs on a
 * ready-made zip before uploading it (the same {@link PackageReader}). Nothing is sent anywhere.
 *
 * <p>Exit codes: 0 built / valid, 1 the batch or package has problems (each said in one line), 2 wrong arguments.
 * {@code --json} prints one JSON object instead of the lines for people.
 */
public final class PackageCommand {

    static final String USAGE = """
            usage: package build BATCH-FOLDER --entity "Entity | file glob | unit.level.sequence" [--entity ...]
                                 [--entities SPEC-FILE] [--project NAME] -o PACKAGE.zip [--json]
                   package check PACKAGE.zip [--json]
              build   makes a data package (Manifest.xml, PackageHeader.xml, the entity files) from the files of a batch
                      folder, one --entity line per entity as in a package job's packageEntities (or a file of them);
                      --project is the data project (definition group) name, default: the folder's name;
                      a batch.ready marker in the folder is left out, as a package job leaves it out
              check   validates a package zip as a package job does before uploading it
            exit codes: 0 built / valid, 1 problems found (one line each), 2 wrong arguments""";

    /** The package jobs' default batch marker: a folder copied from an inbox still holds it. */
    private static final String BATCH_MARKER = "batch.ready";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;

    public PackageCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @return the process exit code */
    public int run(String... args) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (a.help) {
            out.println(USAGE);
            return 0;
        }
        try {
            return "build".equals(a.action) ? build(a) : check(a);
        } catch (IOException e) {
            return report(a.json, false, Map.of(), List.of("cannot read or write: " + e.getMessage()));
        }
    }

    private int build(Arguments a) throws IOException {
        List<String> specLines = new ArrayList<>(a.entities);
        if (a.entitiesFile != null) {
            specLines.add(Files.readString(a.entitiesFile));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("package", a.output.toAbsolutePath().toString());
        try {
            List<EntitySpec> specs = EntitySpec.parseAll(String.join("\n", specLines));
            String project = a.project != null ? a.project : a.input.toAbsolutePath().getFileName().toString();
            PackageManifest built = PackageBuilder.build(a.input, specs, a.output, PackageOptions.defaults(project),
                    file -> !file.getFileName().toString().equals(BATCH_MARKER));
            describe(result, built);
            return report(a.json, true, result, List.of());
        } catch (IllegalArgumentException | PackageBuildException e) {
            return report(a.json, false, result, e.getMessage().lines().toList());
        }
    }

    private int check(Arguments a) throws IOException {
        PackageContents contents = PackageReader.read(a.input);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("package", a.input.toAbsolutePath().toString());
        if (contents.manifest() != null) {
            describe(result, contents.manifest());
        }
        return report(a.json, contents.isValid(), result, contents.problems());
    }

    private static void describe(Map<String, Object> result, PackageManifest manifest) {
        result.put("project", manifest.definitionGroupName());
        List<Map<String, String>> entities = new ArrayList<>();
        for (PackageEntity e : manifest.entities()) {
            Map<String, String> entity = new LinkedHashMap<>();
            entity.put("entity", e.entityName());
            entity.put("file", e.inputFilePath());
            entity.put("format", e.sourceFormat());
            entity.put("position", e.position());
            entities.add(entity);
        }
        result.put("entities", entities);
    }

    @SuppressWarnings("unchecked")
    private int report(boolean json, boolean ok, Map<String, Object> result, List<String> problems) {
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>(result);
            document.put("ok", ok);
            document.put("problems", problems);
            try {
                out.println(JSON.writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.println((ok ? "OK " : "NOT OK ") + result.getOrDefault("package", ""));
            if (result.containsKey("project")) {
                out.println("  data project: " + result.get("project"));
            }
            for (Map<String, String> e : (List<Map<String, String>>) result.getOrDefault("entities", List.of())) {
                out.println("  " + e.get("position") + "  " + e.get("entity") + "  <- " + e.get("file") + " ("
                        + e.get("format") + ")");
            }
            problems.forEach(p -> out.println("  problem: " + p));
        }
        return ok ? 0 : 1;
    }

    /** The command line, checked before anything is read. */
    private static final class Arguments {
        String action;
        Path input;
        Path output;
        Path entitiesFile;
        String project;
        final List<String> entities = new ArrayList<>();
        boolean json;
        boolean help;

        static Arguments parse(String... args) {
            Arguments a = new Arguments();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> a.help = true;
                    case "--json" -> a.json = true;
                    case "--entity" -> a.entities.add(value(args, ++i, arg));
                    case "--entities" -> a.entitiesFile = Path.of(value(args, ++i, arg));
                    case "--project" -> a.project = value(args, ++i, arg);
                    case "-o", "--output" -> a.output = Path.of(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        positional.add(arg);
                    }
                }
            }
            if (a.help) {
                return a;
            }
            if (positional.size() != 2 || !List.of("build", "check").contains(positional.get(0))) {
                throw new IllegalArgumentException("write 'package build FOLDER ...' or 'package check FILE.zip'");
            }
            a.action = positional.get(0);
            a.input = Path.of(positional.get(1));
            if ("build".equals(a.action) && (a.output == null || a.entities.isEmpty() && a.entitiesFile == null)) {
                throw new IllegalArgumentException("package build needs -o PACKAGE.zip and at least one --entity "
                        + "(or --entities SPEC-FILE)");
            }
            return a;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
