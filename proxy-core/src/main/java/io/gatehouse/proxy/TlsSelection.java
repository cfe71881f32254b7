package io.gatehouse.proxy;

import io.gatehouse.sni.SniMapping;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;

/** What a connection's ClientHello chose, kept on the channel for the log lines of later handlers. */
public record TlsSelection(String serverName, SniMapping.Selection<SslContext> selection) {

    public static final AttributeKey<TlsSelection> KEY = AttributeKey.valueOf("gatehouse.tls.selection");

    /** The virtual host as logs name it: the server name, or the default certificate's nickname when none was sent. */
    public String vhost() {
        return serverName != null ? serverName : "(no SNI; " + selection.certificate().nickname() + ")";
    }
}
