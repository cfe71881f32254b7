/**
 * {@code gatehouse demo}: a throwaway two-tier CA, a server certificate for localhost, and a small HTTP backend
 * that shows what it received. The tests use the same pieces as their PKI and recording upstream.
 */
package io.gatehouse.proxy.demo;
