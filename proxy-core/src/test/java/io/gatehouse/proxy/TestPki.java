package io.gatehouse.proxy;

import io.gatehouse.sni.ThrowawayPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A two-tier test PKI written to a folder: root → intermediate → server for localhost and 127.0.0.1. The
 * combined PEM holds only the leaf's issuer, never the root, so a client that verifies proves the chain was sent.
 */
public final class TestPki {

    public final ThrowawayPki pki = new ThrowawayPki();
    public final ThrowawayPki.Issued root = pki.root("Gatehouse test root");
    public final ThrowawayPki.Issued intermediate = pki.intermediate(root, "Gatehouse test intermediate");
    public final ThrowawayPki.Issued server;
    public final Path dir;
    public final Path rootPem;
    public final Path serverPem;

    public TestPki(Path dir) throws IOException {
        this(dir, ThrowawayPki.KeyType.EC);
    }

    public TestPki(Path dir, ThrowawayPki.KeyType keyType) throws IOException {
        this.dir = dir;
        this.server = pki.server(intermediate, keyType, List.of("localhost"), List.of("127.0.0.1", "::1"));
        this.rootPem = Files.writeString(dir.resolve("root-ca.pem"), root.certificatePem());
        this.serverPem = Files.writeString(dir.resolve("server.pem"), ThrowawayPki.combinedPem(server, intermediate));
    }

    /** Writes another combined PEM, e.g. with a different name, for the same server key and chain. */
    public Path writeCombined(String fileName, String text) throws IOException {
        return Files.writeString(dir.resolve(fileName), text);
    }

    /** A client context that trusts only the test root. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
