package io.gatehouse.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An h2 client that writes exact frames (RFC 9113 section 4), for the attacks a well-behaved client library
 * refuses to make: rapid resets, CONTINUATION floods, header values with CR LF.
 */
public final class RawH2 implements AutoCloseable {

    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int CONTINUATION = 0x9;
    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;

    /** One received frame. */
    public record Frame(int type, int flags, int stream, byte[] payload) {

        /** The error code of a GOAWAY (RFC 9113 section 6.8) or RST_STREAM frame. */
        public int errorCode() {
            ByteBuffer b = ByteBuffer.wrap(payload);
            return type == GOAWAY ? b.getInt(4) : b.getInt(0);
        }
    }

    private final SSLSocket socket;
    private final OutputStream out;

    public RawH2(SSLContext tls, int port) throws IOException {
        this(tls, port, 0);
    }

    /** As {@link #RawH2(SSLContext, int)}, with a receive buffer of that size (0: the system's) set before connecting. */
    public RawH2(SSLContext tls, int port, int receiveBufferBytes) throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            throw new IOException("server did not choose h2: " + socket.getApplicationProtocol());
        }
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
        out.flush();
    }

    /** A GET / header block (HPACK, RFC 7541 appendix A static indexes) plus literal extra headers, unvalidated. */
    public static byte[] getRequestBlock(String... extraNamesAndValues) {
        return getRequestBlockFor("/", extraNamesAndValues);
    }

    /** A GET header block for any :path, sent as ISO-8859-1 bytes and unvalidated, plus literal extra headers. */
    public static byte[] getRequestBlockFor(String path, String... extraNamesAndValues) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET
        block.write(0x87); // :scheme https
        if (path.equals("/")) {
            block.write(0x84); // :path /
        } else {
            literal(block, 0x44, null, path); // :path, indexed name 4
        }
        literal(block, 0x41, null, "localhost"); // :authority, indexed name 1
        for (int i = 0; i < extraNamesAndValues.length; i += 2) {
            literal(block, 0x00, extraNamesAndValues[i], extraNamesAndValues[i + 1]);
        }
        return block.toByteArray();
    }

    private static void literal(ByteArrayOutputStream block, int prefix, String name, String value) {
        block.write(prefix);
        if (name != null) {
            block.write(name.length());
            block.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        }
        block.write(value.length());
        block.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(9);
        header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        header.put((byte) type).put((byte) flags).putInt(stream);
        out.write(header.array());
        out.write(payload);
    }

    public void rstStream(int stream, int errorCode) throws IOException {
        frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Reads frames until the server closes, a GOAWAY arrives, or a frame matches {@code last}. */
    public List<Frame> readUntilGoawayOr(java.util.function.Predicate<Frame> last) throws IOException {
        List<Frame> frames = new ArrayList<>();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        try {
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int frameType = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                Frame frame = new Frame(frameType, flags, stream, payload);
                frames.add(frame);
                if (frameType == GOAWAY || last.test(frame)) {
                    return frames;
                }
            }
        } catch (java.io.EOFException | java.net.SocketException | java.net.SocketTimeoutException | javax.net.ssl.SSLException closed) {
            return frames;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
