package io.gatehouse.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.gatehouse.ocsp.testing.TestOcspResponder;
import io.gatehouse.ocsp.testing.TestOcspResponder.Fault;
import io.gatehouse.sni.ThrowawayPki;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every check of the verifier, against responses from a live responder over real HTTP. */
class OcspResponseVerifierTest {

    final ThrowawayPki pki = new ThrowawayPki();
    final ThrowawayPki.Issued root = pki.root("root");
    final ThrowawayPki.Issued issuer = pki.intermediate(root, "issuing CA");
    final ThrowawayPki.Issued leaf = pki.server(issuer, ThrowawayPki.KeyType.EC, List.of("keystone.example.com"), List.of());
    final OcspResponseVerifier verifier = new OcspResponseVerifier(Duration.ofMinutes(5), Optional.empty());
    final HttpOcspTransport transport = new HttpOcspTransport(Duration.ofSeconds(2));
    TestOcspResponder responder;

    @BeforeEach
    void start() throws IOException {
        responder = new TestOcspResponder(pki, issuer);
    }

    @AfterEach
    void stop() {
        responder.close();
    }

    private VerifiedOcspResponse fetchAndVerify(OcspResponseVerifier using, boolean nonce) throws Exception {
        OcspQuery query = OcspQuery.forCertificate(leaf.certificate(), issuer.certificate(), nonce);
        byte[] der = transport.post(responder.uri(), query.der(), Duration.ofSeconds(2));
        return using.verify(der, leaf.certificate(), issuer.certificate(), query.nonce(), Instant.now());
    }

    private OcspVerificationException rejected(Fault fault) {
        responder.fault(fault);
        return catchThrowableOfType(OcspVerificationException.class, () -> fetchAndVerify(verifier, false));
    }

    @Test
    void aGoodResponseFromADelegatedResponderVerifies() throws Exception {
        VerifiedOcspResponse response = fetchAndVerify(verifier, true);
        assertThat(response.status()).isEqualTo(OcspCertStatus.GOOD);
        assertThat(response.nextUpdate()).isAfter(Instant.now());
        assertThat(response.revocationTime()).isEmpty();
    }

    @Test
    void aRevokedAnswerVerifiesWithItsRevocationTime() throws Exception {
        responder.revoke(leaf.certificate());
        VerifiedOcspResponse response = fetchAndVerify(verifier, false);
        assertThat(response.status()).isEqualTo(OcspCertStatus.REVOKED);
        assertThat(response.revocationTime()).isPresent();
    }

    @Test
    void aRenewedResponderCertificateIsAcceptedWithoutConfiguration() throws Exception {
        fetchAndVerify(verifier, false);
        responder.renewSigner("test OCSP responder 2");
        assertThat(fetchAndVerify(verifier, false).status()).isEqualTo(OcspCertStatus.GOOD);
    }

    @Test
    void aResponseSignedByAKeyTheIssuerNeverAuthorisedIsRefused() {
        OcspVerificationException e = rejected(Fault.WRONG_KEY);
        assertThat(e.reason()).isEqualTo("signature");
        assertThat(e.getMessage()).contains("signed by a responder the issuer did not authorise").contains("not signed by the issuer");
    }

    @Test
    void anExpiredResponseIsRefused() {
        assertThat(rejected(Fault.EXPIRED).reason()).isEqualTo("expired");
    }

    @Test
    void aResponseWithoutNextUpdateIsRefused() {
        assertThat(rejected(Fault.NO_NEXT_UPDATE).reason()).isEqualTo("no_next_update");
    }

    @Test
    void aResponseForAnotherCertificateIsRefused() {
        OcspVerificationException e = rejected(Fault.OTHER_SERIAL);
        assertThat(e.reason()).isEqualTo("cert_id");
        assertThat(e.getMessage()).contains(leaf.certificate().getSerialNumber().toString(16));
    }

    @Test
    void garbageIsRefusedAsMalformed() {
        assertThat(rejected(Fault.GARBAGE).reason()).isEqualTo("malformed");
    }

    @Test
    void anHttpErrorIsATransportFailure() {
        responder.fault(Fault.HTTP_500);
        assertThatThrownBy(() -> fetchAndVerify(verifier, false)).isInstanceOf(IOException.class).hasMessageContaining("HTTP 500");
    }

    @Test
    void aNonceThatIsNotOursIsRefused() throws Exception {
        OcspQuery sent = OcspQuery.forCertificate(leaf.certificate(), issuer.certificate(), true);
        OcspQuery other = OcspQuery.forCertificate(leaf.certificate(), issuer.certificate(), true);
        byte[] der = transport.post(responder.uri(), sent.der(), Duration.ofSeconds(2));
        OcspVerificationException e = catchThrowableOfType(OcspVerificationException.class,
                () -> verifier.verify(der, leaf.certificate(), issuer.certificate(), other.nonce(), Instant.now()));
        assertThat(e.reason()).isEqualTo("nonce");
    }

    @Test
    void aResponderAuthorisedBySomeoneElseIsTrustedOnlyWhenConfigured() throws Exception {
        responder.close();
        ThrowawayPki.Issued elsewhere = pki.root("another CA");
        responder = new TestOcspResponder(pki, elsewhere);
        assertThat(catchThrowableOfType(OcspVerificationException.class, () -> fetchAndVerify(verifier, false)).reason())
                .isEqualTo("signature");
        OcspResponseVerifier trusting = new OcspResponseVerifier(Duration.ofMinutes(5), Optional.of(responder.signer().certificate()));
        assertThat(fetchAndVerify(trusting, false).status()).isEqualTo(OcspCertStatus.GOOD);
    }

    @Test
    void thisUpdateInTheFutureBeyondTheSkewIsRefused() throws Exception {
        OcspQuery query = OcspQuery.forCertificate(leaf.certificate(), issuer.certificate(), false);
        byte[] der = transport.post(responder.uri(), query.der(), Duration.ofSeconds(2));
        OcspVerificationException e = catchThrowableOfType(OcspVerificationException.class,
                () -> verifier.verify(der, leaf.certificate(), issuer.certificate(), Optional.empty(), Instant.now().minus(Duration.ofHours(1))));
        assertThat(e.reason()).isEqualTo("not_yet_valid");
    }
}
