package io.github.rip.emulator;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** File helpers for the emulator's data folder: atomic replacement, and owner-only permissions for key material. */
final class DataFiles {

    private DataFiles() {
    }

    /** Writes via a temp file and a rename so a crash never leaves a half-written file behind. */
    static void writeAtomically(Path target, byte[] content, boolean ownerOnly) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(temp, content);
        if (ownerOnly) {
            restrictToOwner(temp);
        }
        moveAtomically(temp, target);
    }

    /** Renames, atomically where the file system allows it. */
    static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** rw------- where POSIX permissions exist; silently nothing elsewhere (Windows ACLs are left as inherited). */
    static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
