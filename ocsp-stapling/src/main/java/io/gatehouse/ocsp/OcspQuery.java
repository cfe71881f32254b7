package io.gatehouse.ocsp;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * One OCSP request for one certificate: its CertID (SHA-1, which every responder understands, RFC 6960 4.1.1) and,
 * when asked for, a nonce the response must echo.
 */
public record OcspQuery(CertificateID certificateId, byte[] der, Optional<byte[]> nonce) {

    public static OcspQuery forCertificate(X509Certificate certificate, X509Certificate issuer, boolean withNonce) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
            OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
            Optional<byte[]> nonce = Optional.empty();
            if (withNonce) {
                byte[] value = new BigInteger(128, new SecureRandom()).toByteArray();
                // Nonce ::= OCTET STRING (RFC 6960 section 4.4.1), DER-encoded inside the extension's value.
                builder.setRequestExtensions(new Extensions(Extension.create(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(value))));
                nonce = Optional.of(value);
            }
            return new OcspQuery(id, builder.build().getEncoded(), nonce);
        } catch (OperatorCreationException | OCSPException | CertificateEncodingException | java.io.IOException e) {
            throw new IllegalStateException("cannot build an OCSP request for serial " + certificate.getSerialNumber(), e);
        }
    }
}
