package io.gatehouse.ocsp;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Decides whether an OCSP response may be stapled (RFC 6960). Every check runs on every response, against the
 * certificate's issuer and not a pinned responder certificate, so a renewed delegated responder just works:
 * <ul>
 *   <li>the responder answered "successful" and sent a basic response;</li>
 *   <li>it is signed by the issuer, by a delegated responder whose certificate the issuer signed and which carries
 *       id-kp-OCSPSigning and is valid now (section 4.2.2.2), or by an operator-trusted responder certificate;</li>
 *   <li>it answers for our certificate: a CertID with our issuer and serial;</li>
 *   <li>it echoes our nonce, if we sent one and it returned one;</li>
 *   <li>thisUpdate is not in the future and nextUpdate is present and not past, within the clock skew.</li>
 * </ul>
 */
public final class OcspResponseVerifier {

    private static final String[] RESPONDER_STATUS = {"successful", "malformedRequest", "internalError", "tryLater", "(4)",
        "sigRequired", "unauthorized"};

    private final Duration clockSkew;
    private final Optional<X509Certificate> trustedResponder;
    private final DigestCalculatorProvider digests;

    public OcspResponseVerifier(Duration clockSkew, Optional<X509Certificate> trustedResponder) {
        this.clockSkew = clockSkew;
        this.trustedResponder = trustedResponder;
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public VerifiedOcspResponse verify(byte[] der, X509Certificate certificate, X509Certificate issuer, Optional<byte[]> nonce, Instant now)
            throws OcspVerificationException {
        BasicOCSPResp basic = basicResponse(der);
        verifySigner(basic, issuer, now);
        SingleResp single = singleFor(basic, certificate, issuer);
        verifyNonce(basic, nonce);
        Instant thisUpdate = single.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(clockSkew))) {
            throw new OcspVerificationException("not_yet_valid", "thisUpdate " + thisUpdate + " is in the future (check this machine's clock"
                    + " and the responder's)");
        }
        if (single.getNextUpdate() == null) {
            throw new OcspVerificationException("no_next_update", "the response has no nextUpdate, so its freshness cannot be judged");
        }
        Instant nextUpdate = single.getNextUpdate().toInstant();
        if (nextUpdate.isBefore(now.minus(clockSkew))) {
            throw new OcspVerificationException("expired", "the response expired at " + nextUpdate);
        }
        CertificateStatus status = single.getCertStatus();
        OcspCertStatus verdict;
        Optional<Instant> revoked = Optional.empty();
        if (status == CertificateStatus.GOOD) {
            verdict = OcspCertStatus.GOOD;
        } else if (status instanceof RevokedStatus revokedStatus) {
            verdict = OcspCertStatus.REVOKED;
            revoked = Optional.of(revokedStatus.getRevocationTime().toInstant());
        } else {
            verdict = OcspCertStatus.UNKNOWN;
        }
        return new VerifiedOcspResponse(verdict, basic.getProducedAt().toInstant(), thisUpdate, nextUpdate, revoked, der);
    }

    private static BasicOCSPResp basicResponse(byte[] der) throws OcspVerificationException {
        OCSPResp response;
        try {
            response = new OCSPResp(der);
        } catch (IOException | RuntimeException e) {
            throw new OcspVerificationException("malformed", "not a DER OCSP response (" + e.getMessage() + ")");
        }
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            int code = response.getStatus();
            throw new OcspVerificationException("responder_status", "the responder answered "
                    + (code >= 0 && code < RESPONDER_STATUS.length ? RESPONDER_STATUS[code] : "status " + code));
        }
        try {
            if (response.getResponseObject() instanceof BasicOCSPResp basic) {
                return basic;
            }
        } catch (OCSPException | RuntimeException e) {
            throw new OcspVerificationException("malformed", "the response body cannot be parsed (" + e.getMessage() + ")");
        }
        throw new OcspVerificationException("malformed", "the response is not a basic OCSP response");
    }

    private void verifySigner(BasicOCSPResp basic, X509Certificate issuer, Instant now) throws OcspVerificationException {
        if (signedBy(basic, holder(issuer))) {
            return;
        }
        List<String> rejected = new ArrayList<>();
        for (X509CertificateHolder candidate : basic.getCerts()) {
            if (!signedBy(basic, candidate)) {
                continue;
            }
            String problem = delegationProblem(candidate, issuer, now);
            if (problem == null) {
                return;
            }
            rejected.add(candidate.getSubject() + ": " + problem);
        }
        if (trustedResponder.isPresent() && signedBy(basic, holder(trustedResponder.get()))) {
            return;
        }
        throw new OcspVerificationException("signature", rejected.isEmpty()
                ? "not signed by the issuer, by a responder it authorised, or by responder-cert"
                : "signed by a responder the issuer did not authorise: " + String.join("; ", rejected));
    }

    /** Why a delegated responder certificate may not sign for the issuer (RFC 6960 section 4.2.2.2), or null. */
    private String delegationProblem(X509CertificateHolder responder, X509Certificate issuer, Instant now) {
        try {
            if (!responder.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))) {
                return "its certificate is not signed by the issuer";
            }
        } catch (Exception e) {
            return "its certificate is not signed by the issuer (" + e.getMessage() + ")";
        }
        Extension eku = responder.getExtension(Extension.extendedKeyUsage);
        if (eku == null || !org.bouncycastle.asn1.x509.ExtendedKeyUsage.getInstance(eku.getParsedValue())
                .hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
            return "its certificate lacks id-kp-OCSPSigning";
        }
        if (now.isBefore(responder.getNotBefore().toInstant().minus(clockSkew)) || now.isAfter(responder.getNotAfter().toInstant().plus(clockSkew))) {
            return "its certificate is not valid now (" + responder.getNotBefore().toInstant() + " to " + responder.getNotAfter().toInstant() + ")";
        }
        return null;
    }

    private SingleResp singleFor(BasicOCSPResp basic, X509Certificate certificate, X509Certificate issuer) throws OcspVerificationException {
        X509CertificateHolder issuerHolder = holder(issuer);
        for (SingleResp single : basic.getResponses()) {
            try {
                if (single.getCertID().getSerialNumber().equals(certificate.getSerialNumber())
                        && single.getCertID().matchesIssuer(issuerHolder, digests)) {
                    return single;
                }
            } catch (OCSPException e) {
                // An unknown hash algorithm cannot be ours; try the next entry.
            }
        }
        throw new OcspVerificationException("cert_id", "the response does not answer for serial " + certificate.getSerialNumber().toString(16)
                + " of issuer " + issuer.getSubjectX500Principal());
    }

    private static void verifyNonce(BasicOCSPResp basic, Optional<byte[]> nonce) throws OcspVerificationException {
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce.isEmpty() || echoed == null) {
            // Many responders (and every pre-produced response) carry no nonce; RFC 8954 allows that.
            return;
        }
        // RFC 6960 wraps the nonce in an OCTET STRING; some responders echo it bare. Either spelling of ours matches.
        byte[] raw = echoed.getExtnValue().getOctets();
        if (!Arrays.equals(raw, nonce.get()) && !Arrays.equals(unwrapOctets(raw), nonce.get())) {
            throw new OcspVerificationException("nonce", "the response's nonce is not the one we sent (a replayed response?)");
        }
    }

    private static byte[] unwrapOctets(byte[] raw) {
        try {
            return ASN1OctetString.getInstance(raw).getOctets();
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    private static boolean signedBy(BasicOCSPResp basic, X509CertificateHolder signer) {
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(signer);
            return basic.isSignatureValid(verifier);
        } catch (Exception e) {
            return false;
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
