/**
 * The certificate store and TLS selection: loads certificates and keys from their sources, gives every one a
 * nickname, proves each key matches its certificate, and builds the BoringSSL server contexts a listener selects
 * from by SNI.
 *
 * <p>It must not know about sockets, HTTP or backends; it depends only on {@code config}.
 */
package io.gatehouse.sni;
