/**
 * http mode: a reverse proxy for HTTP/1.1 and h2 clients that speaks HTTP/1.1 to backends. Requests are routed
 * per listener, checked for ambiguous framing, and streamed both ways without being buffered whole; upstream
 * connections are pooled per event loop and per server. Also the plain-HTTP redirect listener. Choosing a server
 * and opening the connection belong to {@code proxy.backend}.
 */
package io.gatehouse.proxy.http;
