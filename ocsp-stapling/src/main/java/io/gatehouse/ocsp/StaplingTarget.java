package io.gatehouse.ocsp;

import io.gatehouse.config.OcspSettings;
import io.gatehouse.sni.ServerCertificate;

/** One certificate to staple for, with its effective settings (global, overridden by its own {@code ocsp:} block). */
public record StaplingTarget(ServerCertificate certificate, OcspSettings settings) {
}
