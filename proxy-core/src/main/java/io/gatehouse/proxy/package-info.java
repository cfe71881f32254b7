/**
 * The running proxy: binds listeners, builds one Netty pipeline per downstream connection, relays to upstream
 * servers and drains on shutdown. Vocabulary: <b>downstream</b> is the client side, <b>upstream</b> the backend
 * server side.
 *
 * <p>Wiring happens in {@link io.gatehouse.proxy.Gatehouse}; the command line lives in {@code cli}.
 */
package io.gatehouse.proxy;
