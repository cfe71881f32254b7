package io.gatehouse.proxy.admin;

import java.util.List;
import java.util.stream.Collectors;

/** What /healthz says: whether Gatehouse serves, and each listener's address. */
public record HealthReport(boolean serving, List<ListenerStatus> listeners, List<OcspStatus> ocsp, List<ServerStatus> servers) {

    public record ListenerStatus(String name, String address, String mode, String defaultCertificate) {
    }

    /** @param status good, revoked, or none (no valid response stapled) */
    public record OcspStatus(String nickname, String status, boolean stapling, String nextUpdate, String revokedAt) {
    }

    /** One upstream server as the balancer sees it. */
    public record ServerStatus(String backend, String address, boolean healthy, boolean ejected, int inFlight) {
    }

    public String toJson() {
        String items = listeners.stream()
                .map(l -> "{\"name\":" + quote(l.name()) + ",\"address\":" + quote(l.address()) + ",\"mode\":" + quote(l.mode())
                        + ",\"default_certificate\":" + quote(l.defaultCertificate()) + "}")
                .collect(Collectors.joining(","));
        String staples = ocsp.stream()
                .map(o -> "{\"nickname\":" + quote(o.nickname()) + ",\"status\":" + quote(o.status()) + ",\"stapling\":" + o.stapling()
                        + ",\"next_update\":" + quote(o.nextUpdate()) + (o.revokedAt().isEmpty() ? "" : ",\"revoked_at\":" + quote(o.revokedAt())) + "}")
                .collect(Collectors.joining(","));
        String upstreams = servers.stream()
                .map(u -> "{\"backend\":" + quote(u.backend()) + ",\"address\":" + quote(u.address()) + ",\"healthy\":" + u.healthy()
                        + ",\"ejected\":" + u.ejected() + ",\"in_flight\":" + u.inFlight() + "}")
                .collect(Collectors.joining(","));
        return "{\"status\":\"" + (serving ? "ok" : "draining") + "\",\"listeners\":[" + items + "],\"ocsp\":[" + staples
                + "],\"servers\":[" + upstreams + "]}";
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
