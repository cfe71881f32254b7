/**
 * Backends at run time: their servers' health, ejection and load, the choice of a server for each exchange, the
 * active health checks, and how an upstream connection is opened (TCP, PROXY header, TLS). Knows nothing of HTTP
 * exchanges or listeners.
 */
package io.gatehouse.proxy.backend;
