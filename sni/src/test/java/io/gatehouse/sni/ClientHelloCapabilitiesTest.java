package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Real clients are covered end to end; these are the hostile and degenerate inputs. */
class ClientHelloCapabilitiesTest {

    /** A ClientHello body with one cipher suite and the given extensions. */
    private static ByteBuf hello(int suite, int[]... extensions) {
        ByteBuf out = Unpooled.buffer();
        out.writeShort(0x0303).writeZero(32).writeByte(0);
        out.writeShort(2).writeShort(suite);
        out.writeByte(1).writeByte(0);
        ByteBuf ext = Unpooled.buffer();
        for (int[] e : extensions) {
            ext.writeShort(e[0]).writeShort(e.length - 1);
            for (int i = 1; i < e.length; i++) {
                ext.writeByte(e[i]);
            }
        }
        out.writeShort(ext.readableBytes()).writeBytes(ext);
        ext.release();
        return out;
    }

    @Test
    void tls12WithAnEcdsaSuiteAndNoSignatureAlgorithmsAcceptsEcdsa() {
        ByteBuf in = hello(0xC02B);
        assertThat(ClientHelloCapabilities.acceptsEcdsa(in)).isTrue();
        in.release();
    }

    @Test
    void tls12WithOnlyRsaSuitesDoesNot() {
        ByteBuf in = hello(0xC02F);
        assertThat(ClientHelloCapabilities.acceptsEcdsa(in)).isFalse();
        in.release();
    }

    @Test
    void tls13DecidesBySignatureAlgorithms() {
        int[] versions13 = {0x002b, 2, 0x03, 0x04};
        int[] rsaOnly = {0x000d, 0, 2, 0x08, 0x04};
        int[] withEcdsa = {0x000d, 0, 4, 0x08, 0x04, 0x04, 0x03};
        ByteBuf rsa = hello(0x1301, versions13, rsaOnly);
        ByteBuf ec = hello(0x1301, versions13, withEcdsa);
        assertThat(ClientHelloCapabilities.acceptsEcdsa(rsa)).isFalse();
        assertThat(ClientHelloCapabilities.acceptsEcdsa(ec)).isTrue();
        rsa.release();
        ec.release();
    }

    @Test
    void truncatedOrMissingHellosAnswerFalseWithoutThrowing() {
        ByteBuf whole = hello(0xC02B, new int[] {0x000d, 0, 2, 0x04, 0x03});
        for (int length = 0; length < whole.readableBytes(); length++) {
            ByteBuf cut = whole.retainedSlice(0, length);
            ClientHelloCapabilities.acceptsEcdsa(cut);
            cut.release();
        }
        whole.release();
        assertThat(ClientHelloCapabilities.acceptsEcdsa(null)).isFalse();
        assertThat(ClientHelloCapabilities.acceptsEcdsa(Unpooled.EMPTY_BUFFER)).isFalse();
    }

    @Test
    void aLengthThatOverrunsTheBufferIsContained() {
        ByteBuf lying = Unpooled.buffer().writeShort(0x0303).writeZero(32).writeByte(200);
        assertThat(ClientHelloCapabilities.acceptsEcdsa(lying)).isFalse();
        lying.release();
    }
}
