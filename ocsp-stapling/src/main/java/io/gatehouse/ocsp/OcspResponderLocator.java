package io.gatehouse.ocsp;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.ASN1IA5String;

/** Finds a certificate's OCSP responder in its Authority Information Access extension (RFC 5280 section 4.2.2.1). */
public final class OcspResponderLocator {

    private OcspResponderLocator() {
    }

    public static Optional<URI> fromAia(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (extension == null) {
            return Optional.empty();
        }
        try {
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(ASN1OctetString.getInstance(extension).getOctets());
            for (AccessDescription description : aia.getAccessDescriptions()) {
                GeneralName location = description.getAccessLocation();
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp) && location.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    URI uri = URI.create(ASN1IA5String.getInstance(location.getName()).getString());
                    if ("http".equalsIgnoreCase(uri.getScheme())) {
                        return Optional.of(uri);
                    }
                }
            }
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
