/**
 * OCSP stapling: finds each certificate's responder, fetches and verifies responses off the event loop, caches
 * them on disk and hands the current staple to the TLS layer. It must never stand between Gatehouse and a
 * listening socket.
 *
 * <p>Depends on {@code sni} for certificates; must not know about sockets or HTTP proxying.
 */
package io.gatehouse.ocsp;
