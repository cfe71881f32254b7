package io.gatehouse.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where certificates and their keys come from. {@code origin} says where the operator wrote it
 * ({@code listeners[0].certificates[1]}, or {@code PEMFILE[0]} on the command line) so every error can point there.
 * One source can yield several certificates: a PKCS#12 file with several keys, or a folder of PEM files.
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
    record CombinedPem(String origin, Path pem, Optional<String> nickname, Optional<Path> passwordFile) implements CertificateSource {

        public CombinedPem(String origin, Path pem, Optional<String> nickname) {
            this(origin, pem, nickname, Optional.empty());
        }

        @Override
        public List<NamedFile> files() {
            return withPassword(List.of(new NamedFile("pem", pem)), passwordFile);
        }

        @Override
        public String describe() {
            return "pem " + pem;
        }
    }

    /** Certificate, key and optional chain in separate PEM files; the key may be encrypted, with a password file. */
    record SeparateFiles(String origin, Path cert, Path key, Optional<Path> chain, Optional<String> nickname, Optional<Path> passwordFile)
            implements CertificateSource {

        public SeparateFiles(String origin, Path cert, Path key, Optional<Path> chain, Optional<String> nickname) {
            this(origin, cert, key, chain, nickname, Optional.empty());
        }

        @Override
        public List<NamedFile> files() {
            List<NamedFile> files = new ArrayList<>(List.of(new NamedFile("cert", cert), new NamedFile("key", key)));
            chain.ifPresent(c -> files.add(new NamedFile("chain", c)));
            return withPassword(files, passwordFile);
        }

        @Override
        public String describe() {
            return "cert " + cert + " key " + key + chain.map(c -> " chain " + c).orElse("");
        }
    }

    /** A PKCS#12 bundle; every key entry in it is one certificate, nicknamed by its friendly name. */
    record Pkcs12(String origin, Path file, Optional<Path> passwordFile, Optional<String> nickname) implements CertificateSource {

        @Override
        public List<NamedFile> files() {
            return withPassword(List.of(new NamedFile("pkcs12", file)), passwordFile);
        }

        @Override
        public String describe() {
            return "pkcs12 " + file;
        }
    }

    /** A folder of combined PEM files, as HAProxy's {@code crt DIR}: each file is one certificate named after it. */
    record PemDirectory(String origin, Path dir) implements CertificateSource {

        @Override
        public Optional<String> nickname() {
            return Optional.empty();
        }

        @Override
        public List<NamedFile> files() {
            return List.of(new NamedFile("dir", dir));
        }

        @Override
        public String describe() {
            return "dir " + dir;
        }
    }

    private static List<NamedFile> withPassword(List<NamedFile> files, Optional<Path> passwordFile) {
        if (passwordFile.isEmpty()) {
            return files;
        }
        List<NamedFile> all = new ArrayList<>(files);
        all.add(new NamedFile("password-file", passwordFile.get()));
        return List.copyOf(all);
    }
}
