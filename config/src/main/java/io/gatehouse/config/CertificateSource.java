package io.gatehouse.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where one certificate and its key come from. {@code origin} says where the operator wrote it
 * ({@code listeners[0].certificates[1]}, or {@code command line PEM file #1}) so every error can point there.
 */
public sealed interface CertificateSource {

    String origin();

    /** The nickname the operator gave explicitly, if any; otherwise the certificate store derives one. */
    Optional<String> nickname();

    /** Every file this source reads, each with the field that names it, for existence checks and reload watching. */
    List<NamedFile> files();

    /** One line for logs and reports, e.g. {@code pem /etc/pki/tls/private/keystone.pem}. */
    String describe();

    /** A file named by a config field, such as {@code pem} or {@code key}. */
    record NamedFile(String field, Path path) {
    }

    /** Cert, key and chain in one PEM file, as HAProxy and certmonger post-save scripts write it. */
    record CombinedPem(String origin, Path pem, Optional<String> nickname) implements CertificateSource {
        @Override
        public List<NamedFile> files() {
            return List.of(new NamedFile("pem", pem));
        }

        @Override
        public String describe() {
            return "pem " + pem;
        }
    }

    /** Certificate, key and optional chain in separate PEM files. */
    record SeparateFiles(String origin, Path cert, Path key, Optional<Path> chain, Optional<String> nickname)
            implements CertificateSource {
        @Override
        public List<NamedFile> files() {
            return chain.map(c -> List.of(new NamedFile("cert", cert), new NamedFile("key", key), new NamedFile("chain", c)))
                    .orElseGet(() -> List.of(new NamedFile("cert", cert), new NamedFile("key", key)));
        }

        @Override
        public String describe() {
            return "cert " + cert + " key " + key + chain.map(c -> " chain " + c).orElse("");
        }
    }
}
