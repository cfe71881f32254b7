package io.gatehouse.proxy;

import io.gatehouse.sni.ServerCertificate;

/** The staple to send with a certificate, and whether the certificate may be presented at all. Event-loop safe. */
public interface StapleLookup {

    /** The DER OCSP response to staple, or null when there is none fit to send. */
    byte[] stapleFor(ServerCertificate certificate);

    /** True when the certificate is revoked and its policy is stop-serving. */
    boolean refuses(ServerCertificate certificate);

    StapleLookup NONE = new StapleLookup() {
        @Override
        public byte[] stapleFor(ServerCertificate certificate) {
            return null;
        }

        @Override
        public boolean refuses(ServerCertificate certificate) {
            return false;
        }
    };
}
