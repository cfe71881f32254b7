package io.gatehouse.proxy.admin;

import java.util.List;
import java.util.stream.Collectors;

/** What /healthz says: whether Gatehouse serves, and each listener's address. */
public record HealthReport(boolean serving, List<ListenerStatus> listeners) {

    public record ListenerStatus(String name, String address, String mode, String defaultCertificate) {
    }

    public String toJson() {
        String items = listeners.stream()
                .map(l -> "{\"name\":" + quote(l.name()) + ",\"address\":" + quote(l.address()) + ",\"mode\":" + quote(l.mode())
                        + ",\"default_certificate\":" + quote(l.defaultCertificate()) + "}")
                .collect(Collectors.joining(","));
        return "{\"status\":\"" + (serving ? "ok" : "draining") + "\",\"listeners\":[" + items + "]}";
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
