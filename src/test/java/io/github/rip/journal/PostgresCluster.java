package io.github.rip.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real throw-away PostgreSQL 15 cluster (as root: run through setpriv as an unprivileged user); use from @BeforeAll/@AfterAll. */
public final class PostgresCluster implements AutoCloseable {

    /** Where the server binaries are; override with -Drip.test.postgres.bin=... */
    private static final Path BIN = Path.of(System.getProperty("rip.test.postgres.bin", "/usr/lib/postgresql/15/bin"));
    private static final String SUPERUSER = "postgres";
    private static final String USER = "rip";
    private static final String DATABASE = "rip";
    private static final int START_ATTEMPTS = 3;

    private final Path root;
    private final Path data;
    /** Command prefix dropping root privileges (setpriv), empty when not root: postgres refuses to run as root. */
    private final List<String> runAs;
    private final String osUser;
    private final String password = UUID.randomUUID().toString().replace("-", "");
    private final Thread shutdownHook = new Thread(this::stop, "postgres-cluster-stop");
    private int port;
    private long startMillis;
    private boolean stopped;

    private PostgresCluster(Path root, String osUser, List<String> runAs) {
        this.root = root;
        this.data = root.resolve("data");
        this.osUser = osUser;
        this.runAs = runAs;
    }

    /** initdb, start on a free 127.0.0.1 port, create database and user; fails (never skips) without the binaries. */
    public static PostgresCluster start() {
        for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
            if (!Files.isExecutable(BIN.resolve(tool))) {
                throw new IllegalStateException("PostgreSQL 15 server binaries not found: " + BIN.resolve(tool)
                        + " is missing. Install the postgresql-15 package or point -Drip.test.postgres.bin at its bin folder.");
            }
        }
        long begin = System.nanoTime();
        Path root = null;
        PostgresCluster cluster = null;
        try {
            root = Files.createTempDirectory("rip-pg-");
            String osUser = "";
            List<String> runAs = List.of();
            if ("0".equals(output("id", "-u"))) {
                // postgres refuses to run as root: run every server binary as an existing unprivileged account
                // (no system change needed) that owns the cluster folder
                osUser = System.getProperty("rip.test.postgres.os-user", exists("postgres") ? "postgres" : "nobody");
                String uid = output("id", "-u", osUser);
                String gid = output("id", "-g", osUser);
                runAs = List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
                exec(List.of("chown", uid + ":" + gid, root.toString()), null);
            }
            cluster = new PostgresCluster(root, osUser, runAs);
            cluster.initdb();
            cluster.startServer();
            cluster.createDatabase();
            cluster.startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            return cluster;
        } catch (IOException | SQLException | RuntimeException e) {
            if (cluster != null) {
                cluster.stop();
            } else if (root != null) {
                delete(root);
            }
            throw new IllegalStateException("Cannot start a PostgreSQL test cluster: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** Wall time of initdb + start + database creation. */
    public long startMillis() {
        return startMillis;
    }

    /** The OS account the server runs as when the tests run as root, empty otherwise. */
    public String osUser() {
        return osUser;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        stop();
    }

    private void initdb() throws IOException {
        Path pwfile = root.resolve("superuser.pw");
        Files.writeString(pwfile, password + "\n");
        pg(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER, "--pwfile=" + pwfile,
                "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"), "initdb.log");
        Files.delete(pwfile);
        Path sockets = root.resolve("sockets");
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n", "",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + sockets + "'",
                "fsync = off", "synchronous_commit = off", "full_page_writes = off",
                "shared_buffers = 32MB", "max_connections = 50", ""), StandardOpenOption.APPEND);
        pg(List.of("mkdir", "-m", "700", sockets.toString()), "mkdir.log");
    }

    /** pg_ctl -w waits (bounded by -t) until the server accepts connections; a port taken meanwhile is retried. */
    private void startServer() throws IOException {
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                pg(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", root.resolve("server.log").toString(),
                        "-o", "-p " + port, "-w", "-t", "60", "start"), "pg_ctl-start.log");
                return;
            } catch (IllegalStateException e) {
                String log = tail(root.resolve("server.log"));
                if (attempt >= START_ATTEMPTS || !log.contains("could not bind")) {
                    throw new IllegalStateException(e.getMessage() + "\nserver.log:\n" + log, e);
                }
            }
        }
    }

    private void createDatabase() throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, SUPERUSER, password); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                pg(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop"),
                        "pg_ctl-stop.log");
            }
        } catch (RuntimeException | IOException e) {
            System.err.println("pg_ctl stop failed, killing the postmaster: " + e.getMessage());
            killPostmaster();
        } finally {
            delete(root);
        }
    }

    private void killPostmaster() {
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | RuntimeException e) {
            System.err.println("Cannot kill the postmaster: " + e);
        }
    }

    /** Runs a server binary (as the unprivileged account when we are root) in the cluster folder. */
    private void pg(List<String> command, String logName) throws IOException {
        List<String> full = new ArrayList<>(runAs);
        full.addAll(command);
        exec(full, root.resolve(logName));
    }

    private static void exec(List<String> command, Path log) throws IOException {
        Path out = log != null ? log : Files.createTempFile("rip-pg-exec", ".log");
        Process process = new ProcessBuilder(command).directory(out.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Failed (exit " + process.exitValue() + "): " + String.join(" ", command)
                        + "\n" + tail(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
        } finally {
            if (log == null) {
                Files.deleteIfExists(out);
            }
        }
    }

    private static String output(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException("Failed: " + String.join(" ", command) + ": " + text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
        }
        return text;
    }

    private static boolean exists(String osUser) throws IOException {
        try {
            output("id", "-u", osUser);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Cannot delete " + folder + ": " + e);
        }
    }
}
