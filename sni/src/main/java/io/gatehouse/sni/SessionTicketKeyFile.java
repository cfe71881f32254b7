package io.gatehouse.sni;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads TLS session ticket keys in HAProxy's {@code tls-ticket-keys} format: one key per line, base64 of 48
 * bytes ({@code openssl rand -base64 48}), laid out as 16 bytes of key name, 16 of AES key, 16 of HMAC key (as
 * HAProxy and nginx lay them out). Blank lines and lines starting with {@code #} are skipped. The first key
 * encrypts new tickets; every key decrypts.
 */
public final class SessionTicketKeyFile {

    static final int KEY_LENGTH = 48;

    private SessionTicketKeyFile() {
    }

    /** @param field where the file was named, for messages ({@code listeners[0].session-tickets.key-file}) */
    public static List<OpenSslSessionTicketKey> read(Path file, String field) throws CertificateLoadException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CertificateLoadException(field, file + " cannot be read: " + e.getMessage(), "check the path and its permissions");
        }
        return parse(content, file, field);
    }

    static List<OpenSslSessionTicketKey> parse(byte[] content, Path file, String field) throws CertificateLoadException {
        List<OpenSslSessionTicketKey> keys = new ArrayList<>();
        String[] lines = new String(content, StandardCharsets.US_ASCII).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(line);
            } catch (IllegalArgumentException e) {
                throw new CertificateLoadException(field, file + " line " + (i + 1) + " is not base64", "make keys with: openssl rand -base64 48");
            }
            if (key.length != KEY_LENGTH) {
                throw new CertificateLoadException(field, file + " line " + (i + 1) + " holds " + key.length + " bytes, not " + KEY_LENGTH,
                        "make keys with: openssl rand -base64 48");
            }
            keys.add(new OpenSslSessionTicketKey(Arrays.copyOfRange(key, 0, 16), Arrays.copyOfRange(key, 32, 48),
                    Arrays.copyOfRange(key, 16, 32)));
        }
        if (keys.isEmpty()) {
            throw new CertificateLoadException(field, file + " holds no key", "make one with: openssl rand -base64 48 > " + file);
        }
        return keys;
    }
}
