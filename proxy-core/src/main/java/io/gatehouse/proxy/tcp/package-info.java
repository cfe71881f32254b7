/**
 * tcp mode: the decrypted byte stream relayed both ways, as stud and hitch do, with an optional PROXY header
 * toward the upstream.
 */
package io.gatehouse.proxy.tcp;
