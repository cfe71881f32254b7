package io.gatehouse.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend on 127.0.0.1 that hands each accepted connection, on a thread of its own, to a test's code: for answers
 * that must be exact bytes, or wrong in exact ways, which no real server would send.
 */
public final class RawBackend implements AutoCloseable {

    /** Serves one connection, which is closed after; an exception means the proxy went away and is ignored. */
    public interface Connection {
        void serve(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger accepted = new AtomicInteger();

    public RawBackend(Connection connection) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    threads.execute(() -> serve(connection, socket));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private static void serve(Connection connection, Socket socket) {
        try (socket) {
            connection.serve(socket);
        } catch (Exception proxyWentAway) {
            // nothing to answer any more
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
