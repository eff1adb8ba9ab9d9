package io.github.rip.sftp;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;

/**
 * Reads the host key an SSH server presents, without logging in and without trusting it: the key exchange runs until
 * the key is known, then the connection is dropped. Lets a refused host key's error say which key was offered and
 * give the exact known_hosts line, so the operator can compare fingerprints with the server's owner.
 */
final class HostKeyProbe {

    /** The key a server presented: type, SHA-256 fingerprint and its known_hosts line. */
    record PresentedKey(String type, String fingerprint, String knownHostsLine) {
    }

    private HostKeyProbe() {
    }

    static Optional<PresentedKey> probe(String host, int port, int timeoutMillis) {
        JSch jsch = new JSch();
        AtomicReference<HostKey> presented = new AtomicReference<>();
        jsch.setHostKeyRepository(new RecordingRepository(presented));
        Session session = null;
        try {
            session = jsch.getSession("host-key-probe", host, port);
            session.setConfig("StrictHostKeyChecking", "yes");
            session.connect(timeoutMillis);
        } catch (JSchException expected) {
            // the recording repository never trusts: the exchange always ends here, with or without a key seen
        } finally {
            if (session != null) {
                session.disconnect();
            }
        }
        HostKey key = presented.get();
        if (key == null) {
            return Optional.empty();
        }
        return Optional.of(new PresentedKey(key.getType(), key.getFingerPrint(jsch),
                key.getHost() + " " + key.getType() + " " + key.getKey()));
    }

    /** Remembers the key it is asked about and answers "not known". */
    private record RecordingRepository(AtomicReference<HostKey> presented) implements HostKeyRepository {

        @Override
        public int check(String host, byte[] key) {
            try {
                presented.set(new HostKey(host, key));
            } catch (JSchException e) {
                // a key type JSch cannot name: nothing to report
            }
            return NOT_INCLUDED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "host-key-probe";
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }
}
