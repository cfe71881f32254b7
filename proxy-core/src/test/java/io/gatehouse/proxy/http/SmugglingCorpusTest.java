package io.gatehouse.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.proxy.Gatehouse;
import io.gatehouse.proxy.GatehouseFixture;
import io.gatehouse.proxy.NoLeaks;
import io.gatehouse.proxy.RawBackend;
import io.gatehouse.proxy.RawHttp;
import io.gatehouse.proxy.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests that two HTTP parsers could frame or route differently, from published smuggling research (PortSwigger's
 * desync attacks, the HTTP Garden's differential fuzzing finds, smuggler's Transfer-Encoding mutations, HAProxy's
 * regression tests, and the Netty advisories of 2025-2026). Each is refused with a 4xx and the connection closed, and
 * not one byte of it reaches the backend, which records every byte it is sent. Escapes: \r \n \t, and \xHH for any
 * other byte.
 */
@ExtendWith(NoLeaks.class)
class SmugglingCorpusTest {

    @TempDir
    static Path dir;

    static TestPki pki;
    static RawBackend backend;
    static Gatehouse gatehouse;
    static final AtomicLong BYTES_AT_BACKEND = new AtomicLong();

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(dir);
        backend = new RawBackend(SmugglingCorpusTest::record);
        gatehouse = GatehouseFixture.start(dir, GatehouseFixture.singleListener("http", pki, backend.address(), ""));
    }

    @AfterAll
    static void stop() throws Exception {
        gatehouse.close();
        backend.close();
    }

    /** Counts what arrives and answers anything with a small 200, so that a forwarded request fails by assertion. */
    private static void record(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            BYTES_AT_BACKEND.addAndGet(n);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nforwarded".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // Framing: Content-Length and Transfer-Encoding
            "TE and CL on HTTP/1.0 (CVE-2026-42581) | POST / HTTP/1.0\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 40\\r\\n\\r\\n0\\r\\n\\r\\nGET /admin HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "two equal Content-Lengths | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\nContent-Length: 5\\r\\n\\r\\nhello",
            "a Content-Length list | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5, 5\\r\\n\\r\\nhello",
            "an empty Content-Length | GET / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: \\r\\n\\r\\n",
            "Content-Length 0, | GET / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 0,\\r\\n\\r\\n",
            "Content-Length +1 | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: +1\\r\\n\\r\\nZ",
            "Content-Length 0x10 | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 0x10\\r\\n\\r\\n0123456789abcdef",
            "Content-Length -48 | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: -48\\r\\n\\r\\n",
            "Content-Length 1Z | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1Z\\r\\n\\r\\nZ",
            "Content-Length 1 0 | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 1 0\\r\\n\\r\\n0123456789",
            "Content-Length beyond 64 bits | POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 99999999999999999999\\r\\n\\r\\n",
            "a byte 0x85 before the colon | GET / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length\\x85: 10\\r\\n\\r\\n0123456789",
            "a header line without a colon | GET / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length 10\\r\\n\\r\\n0123456789",
            "a first header line starting with a tab | GET / HTTP/1.1\\r\\n\\tContent-Length: 1\\r\\nHost: a\\r\\n\\r\\nX",
            "a first header line starting with a space | POST / HTTP/1.1\\r\\n Transfer-Encoding: chunked\\r\\nHost: a\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "tabs around the colon | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding\\t:\\tchunked\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "a vertical tab before chunked | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding:\\x0bchunked\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "a form feed after chunked | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\x0c\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "a 0x1f in the name | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding\\x1f: chunked\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "a DEL before the name | POST / HTTP/1.1\\r\\nHost: a\\r\\n\\x7fTransfer-Encoding: chunked\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "a no-break space around chunked | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: \\xa0chunked\\xa0\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "0xff around chunked | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: \\xffchunked\\xff\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "a list starting with a comma | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: ,chunked\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            "Transfer-Encoding twice | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1\\r\\nZ\\r\\n0\\r\\n\\r\\n",
            "only gzip | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n0\\r\\n\\r\\n",
            "identity | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: identity\\r\\nContent-Length: 5\\r\\n\\r\\nhello",
            "a name continued on the next line | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-\\r\\nEncoding: chunked\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            // Line endings, control bytes, header syntax
            "an LF inside the request line | GET /\\nHTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "a CR ending a header line | GET / HTTP/1.1\\r\\nHost: a\\r\\nVisible: :/\\rSmuggled: :)\\r\\n\\r\\n",
            "CR LF CR ending the head | GET / HTTP/1.1\\r\\nHost: a\\r\\n\\rZGET /evil: HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "a non-ASCII name | GET / HTTP/1.1\\r\\nHost: a\\r\\n\\xefoo: bar\\r\\n\\r\\n",
            "a space inside a name | GET / HTTP/1.1\\r\\nHost: a\\r\\nX Y: z\\r\\n\\r\\n",
            "a quote inside a name | GET / HTTP/1.1\\r\\nHost: a\\r\\nX\"Y: z\\r\\n\\r\\n",
            "an empty name | GET / HTTP/1.1\\r\\n: ignored\\r\\nHost: a\\r\\n\\r\\n",
            "control bytes before the request line (CVE-2026-50020) | \\x00\\x01GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "an LF splitting a name | GET / HTTP/1.1\\r\\nHost: a\\r\\nTe\\nst: test\\r\\nConnection: close\\r\\n\\r\\n",
            // Chunked bodies whose first chunk is already wrong, so that no valid piece can leave before the error
            "a chunk size with an underscore | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0_2e\\r\\n\\r\\n",
            "a chunk size followed by letters | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n1these-bytes-never-get-validated\\r\\nZ\\r\\n0\\r\\n\\r\\n",
            "a chunk size -0x0 | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n-0x0\\r\\n\\r\\n",
            "an empty chunk size | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n\\r\\n\\r\\n",
            "a chunk size beyond 64 bits | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nfffffffffffffffff\\r\\nZ\\r\\n0\\r\\n\\r\\n",
            "a bare LF after the chunk size | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\nhello\\r\\n0\\r\\n\\r\\n",
            "a bare CR after the chunk size | POST / HTTP/1.1\\r\\nHost: a\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\r;ABCD\\r\\n34\\r\\nE\\r\\n0\\r\\n\\r\\nGET / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n",
            // Request line and Host
            "HTTP/1.32 | GET /test HTTP/1.32\\r\\nHost: a\\r\\n\\r\\n",
            "a CR inside the version | GET / HTTP/\\r\\r1.1\\r\\nHost: a\\r\\n\\r\\n",
            "an overflowing version | GET / HTTP/4294967295.255\\r\\nHost: a\\r\\n\\r\\n",
            "delimiters in the method | G=\":<>(e),[T];?\" /get HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "a space inside the target | GET /a b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "a non-ASCII target | GET /\\xff HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "HTTP/1.1 without Host | GET / HTTP/1.1\\r\\n\\r\\n",
            "two Host headers | GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n",
            "a Host list | GET / HTTP/1.1\\r\\nHost: a, b\\r\\n\\r\\n",
            "a space inside Host | GET / HTTP/1.1\\r\\nHost: a b\\r\\n\\r\\n",
            "a path in Host | GET / HTTP/1.1\\r\\nHost: a/b\\r\\n\\r\\n",
            "a target neither origin- nor absolute-form | GET admin HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "an authority-form target | GET a:80 HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "CONNECT | CONNECT a:443 HTTP/1.1\\r\\nHost: a:443\\r\\n\\r\\n",
            "the asterisk-form with GET | GET * HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "an asterisk with a path | OPTIONS */test HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "a fragment in the target | GET /a#b HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "a pipe in the target | GET /a\\x7cb HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "an absolute-form target naming another host | GET http://evil/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "an absolute-form target naming another port | GET http://a:81/ HTTP/1.1\\r\\nHost: a:80\\r\\n\\r\\n",
            "userinfo in an absolute-form target | GET http://u:p@a/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
            "an absolute-form target of another scheme | GET ftp://a/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n"})
    void isRefusedAndNoByteReachesTheBackend(String name, String escaped) throws Exception {
        long before = BYTES_AT_BACKEND.get();
        assertThat(send(escaped)).matches("(?s)HTTP/1\\.1 4\\d\\d .*").containsIgnoringCase("connection: close");
        assertThat(BYTES_AT_BACKEND.get()).as("bytes the backend received").isEqualTo(before);
    }

    /** The checks above must not cost a legitimate request: these, as odd as RFC 9112 allows, are forwarded. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "HTTP/1.0 without Host | GET /old HTTP/1.0\\r\\n\\r\\n",
            "an empty Host | GET / HTTP/1.1\\r\\nHost:\\r\\nConnection: close\\r\\n\\r\\n",
            "Host with a port | GET / HTTP/1.1\\r\\nHost: keystone.example.com:13000\\r\\nConnection: close\\r\\n\\r\\n",
            "Host as an IPv6 literal | GET / HTTP/1.1\\r\\nHost: [fd00::1]:13000\\r\\nConnection: close\\r\\n\\r\\n",
            "an absolute-form target naming the Host | GET https://A:13000/v3?x=1 HTTP/1.1\\r\\nHost: a:13000\\r\\nConnection: close\\r\\n\\r\\n",
            "OPTIONS * | OPTIONS * HTTP/1.1\\r\\nHost: a\\r\\nConnection: close\\r\\n\\r\\n",
            "a query with reserved characters | GET /v2.1/servers?name=a%5Eb&changes-since=2026-11-28T12:00:00Z&tag=[x]@y HTTP/1.1\\r\\nHost: a\\r\\nConnection: close\\r\\n\\r\\n"})
    void isForwarded(String name, String escaped) throws Exception {
        long before = BYTES_AT_BACKEND.get();
        assertThat(send(escaped)).startsWith("HTTP/1.1 200 OK").endsWith("forwarded");
        assertThat(BYTES_AT_BACKEND.get()).isGreaterThan(before);
    }

    /** Sends the unescaped bytes on a fresh connection and reads until Gatehouse closes it (or the read times out). */
    private static String send(String escaped) throws Exception {
        try (Socket socket = pki.clientContext().getSocketFactory().createSocket("127.0.0.1", gatehouse.address("front").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(unescape(escaped));
            socket.getOutputStream().flush();
            return RawHttp.readAll(socket.getInputStream());
        }
    }

    private static byte[] unescape(String escaped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\') {
                bytes.write(c);
                continue;
            }
            char code = escaped.charAt(++i);
            switch (code) {
                case 'r' -> bytes.write('\r');
                case 'n' -> bytes.write('\n');
                case 't' -> bytes.write('\t');
                case 'x' -> {
                    bytes.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + code);
            }
        }
        return bytes.toByteArray();
    }
}
