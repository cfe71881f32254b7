/**
 * http mode: an HTTP/1.1 reverse proxy. Requests and responses stream through without being buffered whole;
 * upstream connections are pooled per event loop and per server.
 */
package io.gatehouse.proxy.http;
