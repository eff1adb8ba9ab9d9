package io.github.rip.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** The RSA key the emulator signs access tokens with; kept in {@code <dataDir>/keys/} so tokens survive a restart. */
final class TokenSigningKey {

    static final String FILE = "token-signing-key.jwk.json";

    private TokenSigningKey() {
    }

    /** Loads the stored JWK (private parts included) or generates and stores a new one. */
    static RSAKey loadOrCreate(Path keysDir) throws IOException {
        Path file = keysDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString().replace("-", "")).generate();
            DataFiles.writeAtomically(file, key.toJSONString().getBytes(StandardCharsets.UTF_8), true);
            return key;
        } catch (ParseException | JOSEException e) {
            throw new IOException("Cannot load or create the token signing key " + file + ": " + e.getMessage(), e);
        }
    }
}
