package io.gatehouse.sni;

import io.netty.buffer.ByteBuf;

/**
 * Reads from a raw ClientHello whether the client can verify an ECDSA certificate, so one host name can carry an
 * ECDSA certificate for modern clients and an RSA one for the rest. BoringSSL serves only one key per context,
 * so the choice is made here, before the context is picked.
 *
 * <p>TLS 1.3 (RFC 8446 section 4.2.3): the signature_algorithms extension decides. TLS 1.2 (RFC 5246, RFC 8422):
 * an ECDHE_ECDSA cipher suite is needed too. Any malformed input answers false: the RSA certificate is the safe
 * choice, and the handshake itself will reject a broken hello.
 */
public final class ClientHelloCapabilities {

    private static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
    private static final int EXT_SUPPORTED_VERSIONS = 0x002b;
    private static final int TLS13 = 0x0304;

    private ClientHelloCapabilities() {
    }

    /** @param hello the ClientHello body, starting at client_version, as Netty's SslClientHelloHandler hands it over */
    public static boolean acceptsEcdsa(ByteBuf hello) {
        if (hello == null) {
            return false;
        }
        try {
            return parse(hello, hello.readerIndex(), hello.writerIndex());
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static boolean parse(ByteBuf in, int start, int end) {
        int offset = start + 2 + 32;
        offset += 1 + in.getUnsignedByte(offset);
        int suitesLength = in.getUnsignedShort(offset);
        boolean ecdsaSuite = false;
        for (int i = offset + 2; i + 1 < offset + 2 + suitesLength && i + 1 < end; i += 2) {
            ecdsaSuite |= isEcdsaSuite(in.getUnsignedShort(i));
        }
        offset += 2 + suitesLength;
        offset += 1 + in.getUnsignedByte(offset);
        if (offset + 2 > end) {
            return false;
        }
        int extensionsEnd = Math.min(end, offset + 2 + in.getUnsignedShort(offset));
        offset += 2;
        boolean sawSignatureAlgorithms = false;
        boolean ecdsaSignature = false;
        boolean tls13 = false;
        while (offset + 4 <= extensionsEnd) {
            int type = in.getUnsignedShort(offset);
            int length = in.getUnsignedShort(offset + 2);
            int data = offset + 4;
            if (type == EXT_SIGNATURE_ALGORITHMS) {
                sawSignatureAlgorithms = true;
                int listEnd = Math.min(data + 2 + in.getUnsignedShort(data), data + length);
                for (int i = data + 2; i + 1 < listEnd; i += 2) {
                    ecdsaSignature |= isEcdsaSignature(in.getUnsignedShort(i));
                }
            } else if (type == EXT_SUPPORTED_VERSIONS) {
                int listEnd = Math.min(data + 1 + in.getUnsignedByte(data), data + length);
                for (int i = data + 1; i + 1 < listEnd; i += 2) {
                    tls13 |= in.getUnsignedShort(i) == TLS13;
                }
            }
            offset = data + length;
        }
        boolean signatureOk = !sawSignatureAlgorithms || ecdsaSignature;
        return signatureOk && (tls13 || ecdsaSuite);
    }

    /** ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, ecdsa_secp521r1_sha512, ecdsa_sha1 (RFC 8446 4.2.3). */
    private static boolean isEcdsaSignature(int scheme) {
        return scheme == 0x0403 || scheme == 0x0503 || scheme == 0x0603 || scheme == 0x0203;
    }

    /** The TLS_ECDHE_ECDSA_* suites: AES-CBC, AES-GCM, AES-CCM (0xC0xx) and ChaCha20-Poly1305 (0xCCA9). */
    private static boolean isEcdsaSuite(int suite) {
        if (suite == 0xCCA9) {
            return true;
        }
        if ((suite >> 8) != 0xC0) {
            return false;
        }
        int low = suite & 0xff;
        return low == 0x09 || low == 0x0A || low == 0x23 || low == 0x24 || low == 0x2B || low == 0x2C
                || (low >= 0xAC && low <= 0xAF);
    }
}
