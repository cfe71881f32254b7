package io.gatehouse.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * TLS session ticket keys shared by every node behind a VIP, so a client resumes on whichever node it reaches.
 *
 * @param keyFile the keys, one per line as base64 of 48 bytes ({@code openssl rand -base64 48}); the first
 *                encrypts, all decrypt
 * @param grace   how long keys that left the file still decrypt, so rotation does not force full handshakes
 */
public record SessionTicketConfig(Path keyFile, Duration grace) {

    public static final Duration DEFAULT_GRACE = Duration.ofHours(2);
}
