package io.gatehouse.ocsp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last good response per certificate, on disk, so a restart while the responder is down still staples. Writes
 * go to a temporary file in the same folder and are renamed over the old one: a crash mid-write never leaves a
 * half-written response behind.
 */
public final class OcspDiskCache {

    private final Path dir;

    public OcspDiskCache(Path dir) {
        this.dir = dir;
    }

    public Optional<byte[]> load(String nickname) {
        Path file = fileFor(nickname);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void store(String nickname, byte[] der) throws IOException {
        Files.createDirectories(dir);
        Path target = fileFor(nickname);
        Path temporary = Files.createTempFile(dir, "." + safe(nickname), ".tmp");
        try {
            Files.write(temporary, der);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    public Path fileFor(String nickname) {
        return dir.resolve(safe(nickname) + ".ocsp");
    }

    /** Nicknames come from operators and PKCS#12 files: keep them from naming a path outside the folder. */
    private static String safe(String nickname) {
        return nickname.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
    }
}
