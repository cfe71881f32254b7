/**
 * Gatehouse configuration: YAML or command line in, immutable validated records out.
 *
 * <p>Owns the schema, the parsing of addresses and the collection of every problem with its path
 * ({@code listeners[1].certificates[0].pem}). It must not know about Netty, TLS contexts or certificates'
 * contents: it checks that named files exist and are readable, and leaves parsing them to {@code sni}.
 */
package io.gatehouse.config;
