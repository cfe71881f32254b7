package io.gatehouse.sni;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** The certificates and private keys found in one or more PEM files, in file order. */
record PemContents(List<X509Certificate> certificates, List<PrivateKey> keys) {

    PemContents {
        certificates = List.copyOf(certificates);
        keys = List.copyOf(keys);
    }
}
