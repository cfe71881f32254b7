package io.gatehouse.ocsp;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;

/** Whether a certificate carries the TLS Feature extension with status_request (RFC 7633): "OCSP must-staple". */
public final class MustStaple {

    private static final int STATUS_REQUEST = 5;
    /** id-pe-tlsfeature, RFC 7633 section 6. */
    private static final String TLS_FEATURE = "1.3.6.1.5.5.7.1.24";

    private MustStaple() {
    }

    public static boolean required(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(TLS_FEATURE);
        if (value == null) {
            return false;
        }
        try {
            ASN1Sequence features = ASN1Sequence.getInstance(ASN1OctetString.getInstance(value).getOctets());
            for (int i = 0; i < features.size(); i++) {
                if (ASN1Integer.getInstance(features.getObjectAt(i)).intValueExact() == STATUS_REQUEST) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }
}
