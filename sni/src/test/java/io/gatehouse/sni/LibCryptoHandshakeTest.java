package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.ClientAuthMode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.CharsetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real handshakes by {@code openssl s_client} against contexts whose RSA key lives in libcrypto: every signature
 * scheme TLS 1.2 and 1.3 use, and the old RSA key exchange, verified by the client against the CA.
 */
class LibCryptoHandshakeTest {

    @TempDir
    static Path dir;

    static EventLoopGroup group;
    static Channel server;
    static LibCryptoRsaKey key;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates pki = new TestCertificates();
        ThrowawayPki.Issued leaf = pki.rsaLeaf("libcrypto.example.com", "libcrypto.example.com");
        Files.writeString(dir.resolve("ca.pem"), pki.root.certificatePem());
        ServerCertificate certificate = new ServerCertificate(new CertificateNickname("rsa"), "test", leaf.keys().getPrivate(),
                List.of(leaf.certificate(), pki.intermediate.certificate()));
        RsaSigners signers = RsaSigners.libCrypto(LibCrypto.instance(), true);
        // Allows the RSA key exchange too, so that a client can ask for it and make the server decrypt.
        List<String> ciphers = new ArrayList<>(TlsDefaults.INTERMEDIATE_CIPHERS);
        ciphers.add("TLS_RSA_WITH_AES_128_GCM_SHA256");
        SslContext context = new ServerTlsContextFactory(List.of(), signers)
                .build(certificate, new TlsPolicy(TlsDefaults.PROTOCOLS, ciphers, ClientAuthMode.NONE, List.of()));
        key = (LibCryptoRsaKey) signers.methodFor(certificate).orElseThrow();

        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(context.newHandler(ch.alloc()), new AnswerAfterHandshake());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @ParameterizedTest
    @CsvSource({
        "-tls1_3, rsa_pss_rsae_sha256, RSA-PSS, SHA256",
        "-tls1_3, rsa_pss_rsae_sha384, RSA-PSS, SHA384",
        "-tls1_3, rsa_pss_rsae_sha512, RSA-PSS, SHA512",
        "-tls1_2, rsa_pss_rsae_sha256, RSA-PSS, SHA256",
        "-tls1_2, RSA+SHA256, RSA, SHA256",
        "-tls1_2, RSA+SHA384, RSA, SHA384",
        "-tls1_2, RSA+SHA512, RSA, SHA512"})
    void everySignatureSchemeIsSignedByLibCryptoAndVerifies(String protocol, String sigalgs, String type, String digest) throws Exception {
        long before = key.operations();

        String out = sClient(protocol, "-sigalgs", sigalgs);

        assertThat(out).contains("Verify return code: 0 (ok)", "Peer signature type: " + type, "Peer signing digest: " + digest,
                "gatehouse-test-answer");
        assertThat(key.operations()).as("libcrypto signed this handshake").isEqualTo(before + 1);
    }

    @Test
    void theRsaKeyExchangeIsDecryptedByLibCrypto() throws Exception {
        long before = key.operations();

        String out = sClient("-tls1_2", "-cipher", "AES128-GCM-SHA256");

        assertThat(out).contains("Verify return code: 0 (ok)", "Cipher is AES128-GCM-SHA256", "gatehouse-test-answer");
        assertThat(key.operations()).as("libcrypto decrypted the premaster secret").isEqualTo(before + 1);
    }

    private static String sClient(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort(), "-servername", "libcrypto.example.com",
                "-CAfile", dir.resolve("ca.pem").toString(), "-verify_return_error", "-ign_eof"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Writes one line once the handshake is done and closes: the client then knows the server finished it. */
    private static final class AnswerAfterHandshake extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
                ctx.writeAndFlush(ctx.alloc().buffer().writeBytes("gatehouse-test-answer\n".getBytes(CharsetUtil.US_ASCII)))
                        .addListener(f -> ctx.close());
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }
    }
}
