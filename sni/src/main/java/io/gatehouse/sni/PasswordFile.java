package io.gatehouse.sni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a password from a file: its first line, without the line ending, as `echo secret > file` writes it. */
final class PasswordFile {

    private PasswordFile() {
    }

    static char[] read(Path file, String field) throws CertificateLoadException {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end >= 0 ? text.substring(0, end) : text;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new CertificateLoadException(field, file + " cannot be read: " + e.getMessage(),
                    "let the user running gatehouse read the password file");
        }
    }
}
