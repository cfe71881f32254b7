package io.gatehouse.ocsp;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** Sends one OCSP request and returns the response bytes. Blocking: called on the stapling executor only. */
public interface OcspTransport {

    byte[] post(URI responder, byte[] request, Duration timeout) throws IOException, InterruptedException;
}
