package io.github.rip.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * Test fixture: a real SFTP server in the test's JVM (Apache MINA SSHD) on 127.0.0.1 and a free port, with a
 * generated RSA host key and its known_hosts file, a user logging in with a password and one with a public key (its
 * private key written unencrypted or with a passphrase), both
 * seeing {@link #root()}. It can be stopped and started again on the same port with the same host key, drop every
 * session, deny writes below a folder, cut the connection in the middle of a download, and records renames.
 */
public final class SftpServerFixture implements AutoCloseable {

    public static final String PASSWORD_USER = "partner-pw";
    public static final String PASSWORD = "Pa55-w0rd(with)&odd=chars";
    public static final String KEY_USER = "partner-key";

    /** A rename the server carried out: remote paths (relative to the root, with a leading /) and when. */
    public record Rename(String from, String to, Instant at) {
    }

    private final Path root;
    private final Path config;
    private final KeyPair clientKey;
    private final Set<String> deniedFolders = ConcurrentHashMap.newKeySet();
    private final Set<String> cutDuringDownloadOf = ConcurrentHashMap.newKeySet();
    private final List<Rename> renames = new CopyOnWriteArrayList<>();
    private SshServer server;
    private int port;

    public SftpServerFixture(Path dir) {
        this.root = dir.resolve("root");
        this.config = dir.resolve("config");
        try {
            Files.createDirectories(root);
            Files.createDirectories(config);
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            clientKey = rsa.generateKeyPair();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server (again): the first time on a free port, later on that same port with the same host key. */
    public SftpServerFixture start() {
        SimpleGeneratorHostKeyProvider hostKey = new SimpleGeneratorHostKeyProvider(config.resolve("host-key.ser"));
        hostKey.setAlgorithm(KeyUtils.RSA_ALGORITHM);
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.setFileSystemAccessor(new Accessor());
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void read(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                             byte[] data, int dataOffset, int dataLen, int readLen, Throwable thrown) throws IOException {
                if (cutDuringDownloadOf.remove(localHandle.getFile().getFileName().toString())) {
                    session.close(true); // the network goes away with the transfer half done
                }
            }
        });
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setKeyPairProvider(hostKey);
        server.setSubsystemFactories(List.of(sftp));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.setPasswordAuthenticator((user, password, session) -> PASSWORD_USER.equals(user) && PASSWORD.equals(password));
        server.setPublickeyAuthenticator((user, key, session) -> KEY_USER.equals(user)
                && KeyUtils.compareKeys(key, clientKey.getPublic()));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getPort();
        return this;
    }

    public void stop() {
        if (server != null) {
            try {
                server.stop(true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Cuts every open connection at once, as a network failure would; the server keeps running. */
    public void disconnectAllSessions() {
        server.getActiveSessions().forEach(session -> session.close(true));
    }

    public int port() {
        return port;
    }

    /** The folder the SFTP users see as "/". */
    public Path root() {
        return root;
    }

    /** A path as the server shows it, e.g. path("/inbox/a.csv"), on the server's disk. */
    public Path path(String remotePath) {
        return root.resolve(remotePath.replaceFirst("^/+", ""));
    }

    /** A known_hosts file holding this server's real host key. */
    public Path knownHosts() {
        try {
            String key = PublicKeyEntry.toString(hostPublicKey());
            return Files.writeString(config.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + key + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A known_hosts file holding some other key for this server's address (a changed key, or a man in the middle). */
    public Path knownHostsWithAnotherKey() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            String key = PublicKeyEntry.toString(rsa.generateKeyPair().getPublic());
            return Files.writeString(config.resolve("known_hosts_other"), "[127.0.0.1]:" + port + " " + key + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key user's private key as an OpenSSH key file (unencrypted), as ssh-keygen writes it. */
    public Path privateKeyFile() {
        return privateKeyFile(null);
    }

    /** The key user's private key as an OpenSSH key file, encrypted with this passphrase (AES-256-CTR, bcrypt). */
    public Path privateKeyFile(String passphrase) {
        Path file = config.resolve(passphrase == null ? "id_rsa" : "id_rsa_encrypted");
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName("AES");
            encryption.setCipherType("256");
            encryption.setCipherMode("CTR");
            encryption.setPassword(passphrase);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "rip-test", encryption, out);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From now on, writing, creating or renaming anything below this remote folder is refused (permission denied). */
    public void denyWrites(String remoteFolder) {
        deniedFolders.add("/" + remoteFolder.replaceFirst("^/+", ""));
    }

    public void allowWrites() {
        deniedFolders.clear();
    }

    /** The next download of this file loses its connection after the first block. */
    public void cutConnectionDuringDownloadOf(String fileName) {
        cutDuringDownloadOf.add(fileName);
    }

    public List<Rename> renames() {
        return List.copyOf(renames);
    }

    private java.security.PublicKey hostPublicKey() {
        try {
            return server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server hands the accessor paths of its virtual file system, rooted at {@link #root()}: "/inbox/a.csv". */
    private static String remote(Path file) {
        return file.toAbsolutePath().normalize().toString().replace('\\', '/');
    }

    private void checkWritable(Path file) throws AccessDeniedException {
        String path = remote(file);
        for (String denied : deniedFolders) {
            if (path.equals(denied) || path.startsWith(denied + "/")) {
                throw new AccessDeniedException(remote(file), null, "denied by the test");
            }
        }
    }

    /** The server's file access with the test's faults and the rename log. */
    private final class Accessor implements SftpFileSystemAccessor {

        @Override
        public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file,
                                            String handle, Set<? extends OpenOption> options,
                                            FileAttribute<?>... attrs) throws IOException {
            if (options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND)) {
                checkWritable(file);
            }
            return SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options, attrs);
        }

        @Override
        public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
            checkWritable(path);
            SftpFileSystemAccessor.super.createDirectory(subsystem, path);
        }

        @Override
        public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath,
                               Collection<CopyOption> opts) throws IOException {
            checkWritable(oldPath);
            checkWritable(newPath);
            SftpFileSystemAccessor.super.renameFile(subsystem, oldPath, newPath, opts);
            renames.add(new Rename(remote(oldPath), remote(newPath), Instant.now()));
        }

        @Override
        public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
            checkWritable(path);
            SftpFileSystemAccessor.super.removeFile(subsystem, path, isDirectory);
        }
    }
}
