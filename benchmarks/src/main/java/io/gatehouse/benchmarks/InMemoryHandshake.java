package io.gatehouse.benchmarks;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Drives a TLS handshake between two engines through memory, with no sockets: what is measured is the TLS work
 * itself, the same BoringSSL calls the proxy makes, without the kernel in the way.
 */
final class InMemoryHandshake {

    private final ByteBuffer clientToServer = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer serverToClient = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer clientApp = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer serverApp = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer empty = ByteBuffer.allocateDirect(0);

    private final ByteBuffer response = ByteBuffer.allocateDirect(1);

    /**
     * Runs the handshake to completion, then has the server send one byte, as its first response would: BoringSSL
     * sends TLS 1.3 session tickets with the server's first write, so without it no client could ever resume.
     */
    void run(SSLEngine client, SSLEngine server) throws SSLException {
        handshake(client, server);
        response.clear();
        response.put((byte) 'x').flip();
        serverToClient.clear();
        server.wrap(response, serverToClient);
        serverToClient.flip();
        while (serverToClient.hasRemaining()) {
            clientApp.clear();
            if (client.unwrap(serverToClient, clientApp).bytesConsumed() == 0) {
                break;
            }
        }
        serverToClient.clear();
    }

    private void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        clientToServer.clear();
        serverToClient.clear();
        for (int round = 0; round < 50; round++) {
            boolean clientDone = step(client, serverToClient, clientToServer, clientApp);
            boolean serverDone = step(server, clientToServer, serverToClient, serverApp);
            if (clientDone && serverDone && clientToServer.position() == 0 && serverToClient.position() == 0) {
                return;
            }
        }
        throw new IllegalStateException("handshake did not finish: client " + client.getHandshakeStatus() + ", server "
                + server.getHandshakeStatus());
    }

    /** Feeds one engine what its peer wrote, runs delegated tasks, writes what it wants to send. True when idle. */
    private boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        in.flip();
        while (in.hasRemaining()) {
            app.clear();
            SSLEngineResult result = engine.unwrap(in, app);
            runTasks(engine);
            if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
        boolean wrote = false;
        while (true) {
            SSLEngineResult result = engine.wrap(empty, out);
            runTasks(engine);
            if (result.bytesProduced() == 0 || result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
            wrote = true;
        }
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return !wrote && (status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || status == SSLEngineResult.HandshakeStatus.FINISHED);
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
