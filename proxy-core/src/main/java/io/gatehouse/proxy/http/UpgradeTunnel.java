package io.gatehouse.proxy.http;

import io.gatehouse.proxy.PipelineNames;
import io.gatehouse.proxy.tcp.RelayHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;

/**
 * {@code Upgrade: websocket} passthrough (the noVNC console proxy): the request keeps its Upgrade header, and once
 * the backend answers 101, both connections stop speaking HTTP and relay bytes both ways, as tcp mode does.
 * Only websocket is passed: {@code h2c} upgrades would let a client talk h2 to the backend past every check here.
 */
final class UpgradeTunnel {

    private UpgradeTunnel() {
    }

    /** The Upgrade value to forward, or null when the request asks for no upgrade this proxy passes. */
    static String requestedUpgrade(HttpRequest request) {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || !request.headers().containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)) {
            return null;
        }
        return upgrade.trim().toLowerCase(Locale.ROOT).equals("websocket") ? upgrade.trim() : null;
    }

    /** Puts back what hop-by-hop stripping removed, for the one hop that asks to switch protocols. */
    static void restoreUpgradeHeaders(HttpHeaders headers, String upgrade) {
        headers.set(HttpHeaderNames.UPGRADE, upgrade).set(HttpHeaderNames.CONNECTION, "Upgrade");
    }

    /**
     * Turns both connections into a byte relay. Called on the shared event loop right after the 101 response was
     * written downstream, while the upstream decoder may still hold the first frames: its encoder goes first, the
     * decoder stays (after a 101 it passes bytes through untouched) and feeds the relay.
     */
    static void open(Channel downstream, Channel upstream, Runnable onClose) {
        ChannelPipeline up = upstream.pipeline();
        up.replace(PipelineNames.UPSTREAM_RESPONSE, PipelineNames.RELAY, new RelayHandler(downstream));
        up.remove(PipelineNames.IDLE);
        up.get(UpstreamHttpCodec.class).removeOutboundHandler();

        ChannelPipeline down = downstream.pipeline();
        down.replace(PipelineNames.HTTP_PROXY, PipelineNames.RELAY, new RelayHandler(upstream));
        for (String name : new String[] {PipelineNames.FORWARDED_HEADERS, PipelineNames.IDLE, PipelineNames.REQUEST_HEAD_RECEIVED,
                PipelineNames.REQUEST_HEAD_DEADLINE, PipelineNames.OBS_FOLD_MARK, PipelineNames.OBS_FOLD_SCAN, PipelineNames.HTTP_CODEC}) {
            if (down.get(name) != null) {
                down.remove(name);
            }
        }
        upstream.closeFuture().addListener(closed -> onClose.run());
        downstream.closeFuture().addListener(closed -> upstream.close());
        upstream.config().setAutoRead(true);
        downstream.config().setAutoRead(true);
    }
}
