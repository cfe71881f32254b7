package io.gatehouse.sni;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/** Reads a CA bundle: the PEM certificates of a {@code client-ca:} or {@code trust:} file. */
public final class TrustBundle {

    private TrustBundle() {
    }

    public static List<X509Certificate> read(Path file, String field) throws CertificateLoadException {
        List<X509Certificate> certificates = new PemFileReader().read(file, field).certificates();
        if (certificates.isEmpty()) {
            throw new CertificateLoadException(field, file + " contains no PEM certificate", "name a file of CA certificates in PEM");
        }
        return certificates;
    }
}
