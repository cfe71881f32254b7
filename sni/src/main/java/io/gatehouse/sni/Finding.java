package io.gatehouse.sni;

/**
 * One problem with one certificate, as {@code check} prints it: nickname, source, problem, fix. An ERROR makes
 * {@code check} exit 2; a WARNING does not.
 */
public record Finding(Severity severity, CertificateNickname nickname, String source, String problem, String fix) {

    public enum Severity { ERROR, WARNING }

    public String line() {
        return severity + " " + nickname + " (" + source + "): " + problem + " (" + fix + ")";
    }
}
