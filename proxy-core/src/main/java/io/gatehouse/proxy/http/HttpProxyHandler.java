package io.gatehouse.proxy.http;

import io.gatehouse.proxy.CloseAfterError;
import io.gatehouse.proxy.DrainRequested;
import io.gatehouse.proxy.admin.ListenerMeters;
import io.gatehouse.proxy.backend.UpstreamServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one downstream connection's requests to pooled upstream connections, one exchange at a time, streaming
 * bodies both ways without buffering them whole.
 *
 * <p>Reading is the only lever on memory: the downstream is read only while the current request body can be
 * written upstream (or while idle), and the upstream only while the downstream can take the response. Requests
 * pipelined by the client wait their turn in {@link #inbound}, which holds at most what one read decoded.
 */
public final class HttpProxyHandler extends ChannelInboundHandlerAdapter implements UpstreamExchange {

    private static final Logger LOG = LoggerFactory.getLogger(HttpProxyHandler.class);

    /** RFC 9110 section 9.2.2: safe to replay when the first attempt provably got no answer. */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private enum State { IDLE, CONNECTING, SENDING, WAITING, CLOSED }

    /** How long to keep draining a client after an error response before closing anyway. */
    static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);

    private final String listener;
    private final RouteTable routes;
    private final ListenerMeters meters;
    private final ArrayDeque<HttpObject> inbound = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private UpstreamPool pool;
    private State state = State.IDLE;
    private boolean draining;

    // The current exchange.
    private HttpRequest request;
    private boolean clientKeepAlive;
    private boolean clientSpeaks11;
    private boolean requestComplete;
    private boolean requestHadBody;
    private boolean retried;
    private Channel upstream;
    private UpstreamServer server;
    /** Servers that refused this exchange's connection; the retry goes elsewhere. */
    private final Set<UpstreamServer> refusedBy = new HashSet<>(4);
    private ExchangeDeadlines deadlines;
    private UpstreamResponseHandler upstreamHandler;
    private boolean upstreamReused;
    private boolean anyResponseBytes;
    private boolean finalResponseStarted;
    private boolean informational;
    private boolean upstreamKeepAlive;
    /** The Upgrade this request asks for and may have (websocket), or null. */
    private String upgrade;
    private boolean switchingProtocols;
    /** The request head was written upstream and waits for the first flush, shared with the body's first piece. */
    private boolean headUnflushed;
    /**
     * The head waits for the first piece of body before it leaves: a body that fails to decode (a bad chunk) then
     * ends the exchange before the backend saw any of the request. Not with Expect: 100-continue, where the
     * client sends the body only after the backend answered the head.
     */
    private boolean holdHeadForBody;

    public HttpProxyHandler(String listener, RouteTable routes, ListenerMeters meters) {
        this.listener = listener;
        this.routes = routes;
        this.meters = meters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.deadlines = new ExchangeDeadlines(context.executor(), this::timedOut);
    }

    // ---- downstream events ----

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (state == State.CLOSED || !(msg instanceof HttpObject part)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (part instanceof FullHttpRequest full) {
            // An h2 request without a body arrives whole; the exchange below streams a head, then content.
            // Netty's decoder also reports a malformed request as a FullHttpRequest; its failure must travel along.
            DefaultHttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            head.setDecoderResult(full.decoderResult());
            inbound.add(head);
            inbound.add(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
        } else {
            inbound.add(part);
        }
        process();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (upstream != null) {
            upstream.config().setAutoRead(context.channel().isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt == DrainRequested.INSTANCE) {
            draining = true;
            closeIfIdle();
        } else if (evt instanceof IdleStateEvent) {
            closeIfIdle();
        }
        context.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        state = State.CLOSED;
        releaseInbound();
        deadlines.stop();
        if (upstream != null) {
            // The client left mid-exchange: the upstream connection is in an unknown state, never reuse it.
            detachUpstream().close();
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("downstream error listener={} peer={} reason={}", listener, context.channel().remoteAddress(), cause.toString());
        }
        CloseAfterError.close(context, cause);
    }

    // ---- the request side ----

    private void process() {
        boolean wroteUpstream = headUnflushed && !holdHeadForBody;
        headUnflushed = headUnflushed && holdHeadForBody;
        while (true) {
            if (state == State.IDLE) {
                HttpObject next = inbound.poll();
                if (next == null) {
                    break;
                }
                if (next instanceof HttpRequest head) {
                    startExchange(head);
                } else {
                    ReferenceCountUtil.release(next);
                }
            } else if (state == State.SENDING && upstream.isWritable()) {
                HttpObject next = inbound.poll();
                if (next == null) {
                    break;
                }
                if (next.decoderResult().isFailure()) {
                    ReferenceCountUtil.release(next);
                    abort(HttpResponseStatus.BAD_REQUEST, "Bad Request: malformed request body");
                    return;
                }
                HttpContent content = (HttpContent) next;
                holdHeadForBody = false;
                headUnflushed = false;
                requestHadBody |= content.content().isReadable();
                boolean last = content instanceof LastHttpContent;
                upstream.write(content, upstream.voidPromise());
                // Encoded by now: the upstream connection is on this event loop.
                Reusable.handBack(content);
                wroteUpstream = true;
                if (last) {
                    requestComplete = true;
                    state = State.WAITING;
                    deadlines.requestSent(pool.backend().config().timeouts());
                }
            } else {
                break;
            }
        }
        if (wroteUpstream && upstream != null) {
            upstream.flush();
        }
        updateDownstreamReading();
    }

    private void startExchange(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            HttpResponseStatus status = ErrorResponses.forDecoderFailure(head.decoderResult().cause());
            LOG.debug("request rejected listener={} peer={} status={} reason={}", listener, ctx.channel().remoteAddress(),
                    status.code(), head.decoderResult().cause().toString());
            ReferenceCountUtil.release(head);
            respondAndClose(status, status.reasonPhrase());
            return;
        }
        Optional<RouteTable.Target> target = routes.select(head);
        if (target.isEmpty()) {
            LOG.debug("no route listener={} peer={} host={} uri={}", listener, ctx.channel().remoteAddress(),
                    head.headers().get(HttpHeaderNames.HOST), head.uri());
            respondAndClose(HttpResponseStatus.NOT_FOUND, "Not Found: no route for this host and path");
            return;
        }
        if (!target.get().stripPrefix().isEmpty()) {
            head.setUri(RouteTable.strip(head.uri(), target.get().stripPrefix()));
        }
        pool = target.get().pools().forLoop(ctx.channel().eventLoop());
        refusedBy.clear();
        request = head;
        clientKeepAlive = HttpUtil.isKeepAlive(head) && !draining;
        clientSpeaks11 = head.protocolVersion().equals(HttpVersion.HTTP_1_1);
        requestComplete = false;
        requestHadBody = false;
        retried = false;
        anyResponseBytes = false;
        finalResponseStarted = false;
        informational = false;
        holdHeadForBody = (HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0)
                && !HttpUtil.is100ContinueExpected(head);
        upgrade = ctx.channel() instanceof Http2StreamChannel ? null : UpgradeTunnel.requestedUpgrade(head);
        switchingProtocols = false;
        HopByHopHeaders.strip(head.headers());
        if (upgrade != null) {
            UpgradeTunnel.restoreUpgradeHeaders(head.headers(), upgrade);
        }
        if (HttpUtil.isTransferEncodingChunked(head)) {
            head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        // The client's own version was captured above; the upstream always gets 1.1 so its connection can be pooled.
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        deadlines.exchangeStarted(pool.backend().config().timeouts());
        if (ctx.channel() instanceof Http2StreamChannel) {
            // Rapid reset: a stream's RST_STREAM usually comes in the same read as its HEADERS. Connecting once that
            // read is over means a stream already reset opens nothing upstream, however many of them a client sends.
            state = State.CONNECTING;
            ctx.executor().execute(() -> {
                if (state == State.CONNECTING && upstream == null && ctx.channel().isActive()) {
                    connectUpstream(false);
                }
            });
            updateDownstreamReading();
        } else {
            connectUpstream(false);
        }
    }

    private void connectUpstream(boolean fresh) {
        state = State.CONNECTING;
        pool.acquire(ctx.channel(), refusedBy, fresh, new UpstreamPool.Callback() {
            @Override
            public void ready(Channel channel, UpstreamResponseHandler handler, UpstreamServer chosen, boolean reused) {
                if (state != State.CONNECTING) {
                    // The client went away while we connected.
                    chosen.exchangeEnded();
                    if (reused) {
                        pool.release(channel);
                    } else {
                        channel.close();
                    }
                    return;
                }
                upstream = channel;
                server = chosen;
                upstreamHandler = handler;
                upstreamReused = reused;
                handler.bind(HttpProxyHandler.this);
                channel.config().setAutoRead(ctx.channel().isWritable());
                channel.write(request, channel.voidPromise());
                headUnflushed = true;
                if (requestComplete) {
                    // A retry: the body was empty, so the head and an empty end are the whole request.
                    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
                    state = State.WAITING;
                    deadlines.requestSent(pool.backend().config().timeouts());
                } else {
                    state = State.SENDING;
                }
                process();
            }

            @Override
            public void failed(UpstreamServer refusing, Throwable cause, boolean refused) {
                if (state != State.CONNECTING) {
                    return;
                }
                meters.upstreamConnectFailed();
                LOG.warn("upstream connect failed listener={} backend={} server={} peer={} reason={}", listener,
                        pool.backend().name(), refusing.text(), ctx.channel().remoteAddress(), cause.toString());
                if (refused) {
                    // Nothing was sent, so any method may go to another server.
                    refusedBy.add(refusing);
                    connectUpstream(false);
                } else {
                    respondAndClose(HttpResponseStatus.BAD_GATEWAY, "Bad Gateway: the backend server could not be verified");
                }
            }

            @Override
            public void unavailable() {
                if (state != State.CONNECTING) {
                    return;
                }
                if (!refusedBy.isEmpty()) {
                    respondAndClose(HttpResponseStatus.BAD_GATEWAY, "Bad Gateway: no backend server accepted the connection");
                    return;
                }
                meters.upstreamUnavailable();
                LOG.warn("no upstream server in rotation listener={} backend={} peer={}", listener, pool.backend().name(),
                        ctx.channel().remoteAddress());
                respondAndClose(HttpResponseStatus.SERVICE_UNAVAILABLE, "Service Unavailable: no healthy server for this service");
            }
        });
        updateDownstreamReading();
    }

    /**
     * Reads on while nothing is queued, even while waiting for the response: turning reading off and on again
     * costs two epoll_ctl calls per request, a sixth of a keep-alive request's cost. What a read brings meanwhile
     * (a pipelined request, or the client's close, which ends the exchange as nginx does) is bounded by one read,
     * since anything queued stops reading. Only a request body that the upstream cannot take yet stops it too.
     */
    private void updateDownstreamReading() {
        boolean blocked = state == State.CLOSED || (state == State.SENDING && (upstream == null || !upstream.isWritable()));
        ctx.channel().config().setAutoRead(!blocked && inbound.isEmpty());
    }

    // ---- the response side, called by UpstreamResponseHandler ----

    @Override
    public void onResponsePart(HttpObject part) {
        anyResponseBytes = true;
        deadlines.responseStarted();
        if (part.decoderResult().isFailure()) {
            LOG.warn("upstream sent an invalid response listener={} backend={} server={} reason={}", listener, pool.backend().name(),
                    server.text(), part.decoderResult().cause().toString());
            ReferenceCountUtil.release(part);
            abort(HttpResponseStatus.BAD_GATEWAY, "Bad Gateway: the backend server sent an invalid response");
            return;
        }
        if (part instanceof HttpResponse response) {
            informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                if (upgrade == null) {
                    LOG.warn("upstream switched protocols unasked listener={} backend={} server={}", listener, pool.backend().name(),
                            server.text());
                    ReferenceCountUtil.release(part);
                    abort(HttpResponseStatus.BAD_GATEWAY, "Bad Gateway: the backend server sent an invalid response");
                    return;
                }
                switchingProtocols = true;
                HopByHopHeaders.strip(response.headers());
                UpgradeTunnel.restoreUpgradeHeaders(response.headers(), upgrade);
            }
            if (!informational) {
                finalResponseStarted = true;
                upstreamKeepAlive = HttpUtil.isKeepAlive(response);
                prepareDownstreamResponse(response);
            }
        }
        boolean last = part instanceof LastHttpContent;
        ctx.write(part, ctx.voidPromise());
        // Encoded by now, for HTTP/1.1 and h2 clients alike: the upstream connection is on this event loop.
        Reusable.handBack(part);
        if (last && switchingProtocols) {
            ctx.flush();
            openTunnel();
            return;
        }
        if (last) {
            if (informational) {
                informational = false;
            } else {
                ctx.flush();
                onResponseComplete();
                return;
            }
        }
        if (!ctx.channel().isWritable()) {
            upstream.config().setAutoRead(false);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        ctx.flush();
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        process();
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        upstream = null;
        upstreamHandler = null;
        String closedServer = releaseServer();
        if (state == State.CLOSED || state == State.IDLE) {
            return;
        }
        boolean replayable = !anyResponseBytes && upstreamReused && !retried && requestComplete && !requestHadBody
                && IDEMPOTENT.contains(request.method());
        if (replayable) {
            // The classic keep-alive race: the server closed the pooled connection as we reused it.
            LOG.debug("retrying on a fresh connection listener={} backend={} method={}", listener, pool.backend().name(), request.method());
            retried = true;
            connectUpstream(true);
            return;
        }
        LOG.warn("upstream closed mid-exchange listener={} backend={} server={} peer={} response_started={} reason={}", listener,
                pool.backend().name(), closedServer, ctx.channel().remoteAddress(), finalResponseStarted, cause == null ? "closed" : cause.toString());
        abort(HttpResponseStatus.BAD_GATEWAY, "Bad Gateway: the backend server closed the connection");
    }

    private void prepareDownstreamResponse(HttpResponse response) {
        HopByHopHeaders.strip(response.headers());
        int code = response.status().code();
        boolean bodiless = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        boolean framed = bodiless || HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
        if (!clientSpeaks11 && HttpUtil.isTransferEncodingChunked(response)) {
            // HTTP/1.0 clients cannot read chunked: send the body raw and mark its end by closing.
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            clientKeepAlive = false;
        } else if (!framed) {
            if (clientSpeaks11) {
                HttpUtil.setTransferEncodingChunked(response, true);
            } else {
                clientKeepAlive = false;
            }
        }
        if (draining) {
            clientKeepAlive = false;
        }
        if (!clientKeepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!clientSpeaks11) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private void onResponseComplete() {
        deadlines.exchangeEnded();
        if (!requestComplete) {
            // The server answered before the body was all sent (e.g. 413): the rest cannot be skipped reliably.
            detachUpstream().close();
            closeAfterFlush();
            return;
        }
        Channel done = detachUpstream();
        if (upstreamKeepAlive) {
            pool.release(done);
        } else {
            done.close();
        }
        Reusable.handBack(request);
        request = null;
        if (!clientKeepAlive) {
            closeAfterFlush();
            return;
        }
        state = State.IDLE;
        process();
    }

    /** After 101: this handler leaves, and both connections relay bytes until either side closes. */
    private void openTunnel() {
        deadlines.exchangeEnded();
        Channel up = upstream;
        UpstreamServer tunnelServer = server;
        upstream = null;
        server = null;
        if (upstreamHandler != null) {
            upstreamHandler.unbind();
            upstreamHandler = null;
        }
        state = State.CLOSED;
        if (!inbound.isEmpty()) {
            // RFC 6455 section 4.1: the client waits for the 101 before sending frames; anything decoded is not one.
            LOG.debug("bytes before the upgrade completed were dropped listener={} peer={}", listener, ctx.channel().remoteAddress());
            releaseInbound();
        }
        LOG.debug("upgrade tunnel open listener={} backend={} server={} peer={} protocol={}", listener, pool.backend().name(),
                tunnelServer.text(), ctx.channel().remoteAddress(), upgrade);
        UpgradeTunnel.open(ctx.channel(), up, tunnelServer::exchangeEnded);
    }

    // ---- endings ----

    private Channel detachUpstream() {
        releaseServer();
        Channel detached = upstream;
        if (upstreamHandler != null) {
            upstreamHandler.unbind();
        }
        upstream = null;
        upstreamHandler = null;
        return detached;
    }

    /**
     * Ends a failed exchange: the upstream connection, if still bound, is closed (its state is unknown); the client
     * gets {@code status}, or, when response headers are already out, a cut-short response it will see as incomplete.
     */
    private void abort(HttpResponseStatus status, String body) {
        deadlines.exchangeEnded();
        if (upstream != null) {
            detachUpstream().close();
        }
        if (finalResponseStarted) {
            state = State.CLOSED;
            ctx.close();
        } else {
            respondAndClose(status, body);
        }
    }

    /**
     * Sends an error response and closes, lingering: the client may still be sending its request, and closing a
     * socket with unread input makes the kernel send RST, which can destroy the response before the client reads
     * it (why nginx has lingering_close). So: send the response and close_notify, keep reading and discarding,
     * and close when the client does, or after {@link #LINGER}.
     */
    private void respondAndClose(HttpResponseStatus status, String body) {
        state = State.CLOSED;
        releaseInbound();
        Channel channel = ctx.channel();
        ctx.writeAndFlush(ErrorResponses.of(ctx.alloc(), status, body)).addListener((ChannelFutureListener) written -> {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (!written.isSuccess() || tls == null) {
                channel.close();
                return;
            }
            tls.closeOutbound();
            channel.config().setAutoRead(true);
            channel.eventLoop().schedule(() -> channel.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Ends the exchange's count against its server; returns the server's address for logging. */
    private String releaseServer() {
        UpstreamServer released = server;
        server = null;
        if (released == null) {
            return "";
        }
        released.exchangeEnded();
        return released.text();
    }

    private void timedOut(String which, java.time.Duration limit) {
        if (state == State.CLOSED || request == null) {
            return;
        }
        LOG.warn("upstream timeout listener={} backend={} server={} peer={} timeout={} after={}ms response_started={}", listener,
                pool.backend().name(), server == null ? "" : server.text(), ctx.channel().remoteAddress(), which, limit.toMillis(),
                finalResponseStarted);
        abort(HttpResponseStatus.GATEWAY_TIMEOUT, "Gateway Timeout: the backend server did not answer in time");
    }

    private void closeAfterFlush() {
        state = State.CLOSED;
        releaseInbound();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void closeIfIdle() {
        if (state == State.IDLE && inbound.isEmpty()) {
            state = State.CLOSED;
            ctx.close();
        }
    }

    private void releaseInbound() {
        HttpObject msg;
        while ((msg = inbound.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
