package io.gatehouse.proxy.backend;

import io.gatehouse.config.HealthCheckConfig;
import io.gatehouse.proxy.PipelineNames;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one backend: {@code GET path} to every server on its interval, over the same transport
 * as real requests (PROXY header and TLS included), counted with rise and fall so one lost check does not flap
 * a server. Each server's checks stay on one event loop, so their counters need no locks.
 */
public final class HealthChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final Backend backend;
    private final HealthCheckConfig check;
    private final UpstreamConnector connector;
    private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

    public HealthChecker(Backend backend, HealthCheckConfig check, UpstreamConnector connector) {
        this.backend = backend;
        this.check = check;
        this.connector = connector;
    }

    public void start(EventLoopGroup group) {
        for (UpstreamServer server : backend.servers()) {
            EventLoop loop = group.next();
            ServerCheck state = new ServerCheck(server, loop);
            long interval = check.interval().toMillis();
            // Spread the first checks so many backends do not probe in lockstep.
            long first = ThreadLocalRandom.current().nextLong(Math.max(1, interval / 4));
            schedules.add(loop.scheduleWithFixedDelay(state::run, first, interval, TimeUnit.MILLISECONDS));
        }
        LOG.info("health checks started backend={} path={} interval={}ms rise={} fall={} expect_status={}", backend.name(),
                check.path(), check.interval().toMillis(), check.rise(), check.fall(), check.expectStatus());
    }

    @Override
    public void close() {
        schedules.forEach(s -> s.cancel(false));
    }

    /** The checks of one server; touched only on its event loop. */
    private final class ServerCheck {
        private final UpstreamServer server;
        private final EventLoop loop;
        private int passes;
        private int failures;
        private boolean inProgress;

        ServerCheck(UpstreamServer server, EventLoop loop) {
            this.server = server;
            this.loop = loop;
        }

        void run() {
            if (inProgress) {
                return;
            }
            inProgress = true;
            Probe probe = new Probe(this);
            connector.connect(loop, backend, server, null, null, true,
                    ch -> ch.pipeline().addLast(PipelineNames.HTTP_CODEC, new HttpClientCodec())
                            .addLast(PipelineNames.HEALTH_CHECK, probe),
                    new UpstreamConnector.Callback() {
                        @Override
                        public void connected(Channel upstream) {
                            probe.send(upstream);
                        }

                        @Override
                        public void failed(Throwable cause, boolean refused) {
                            result(false, "connect failed: " + cause.getMessage());
                        }
                    });
        }

        void result(boolean passed, String reason) {
            if (!inProgress) {
                return;
            }
            inProgress = false;
            if (passed) {
                failures = 0;
                passes++;
                if (!server.healthy() && passes >= check.rise()) {
                    server.healthChanged(true, "health check passed " + passes + " times");
                } else if (server.healthy() && server.isEjected()) {
                    server.healthChanged(true, "health check passed");
                }
            } else {
                passes = 0;
                failures++;
                LOG.debug("health check failed backend={} server={} failures={} reason={}", backend.name(), server.text(), failures, reason);
                if (server.healthy() && failures >= check.fall()) {
                    server.healthChanged(false, "health check failed " + failures + " times, last: " + reason);
                }
            }
        }
    }

    /** One check: sends the request, judges the status, and always closes the connection. */
    private final class Probe extends ChannelInboundHandlerAdapter {
        private final ServerCheck owner;

        Probe(ServerCheck owner) {
            this.owner = owner;
        }

        void send(Channel upstream) {
            ScheduledFuture<?> timeout = upstream.eventLoop().schedule(() -> {
                owner.result(false, "no answer within " + check.timeout().toMillis() + "ms");
                upstream.close();
            }, check.timeout().toMillis(), TimeUnit.MILLISECONDS);
            upstream.closeFuture().addListener(f -> {
                timeout.cancel(false);
                owner.result(false, "closed before answering");
            });
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, check.path());
            String host = backend.config().tls().flatMap(t -> t.sni()).orElse(owner.server.configuredHost());
            request.headers()
                    .set(HttpHeaderNames.HOST, host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                    .set(HttpHeaderNames.USER_AGENT, "gatehouse-health-check")
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(HttpHeaderNames.CONTENT_LENGTH, 0);
            upstream.writeAndFlush(request);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    int status = response.status().code();
                    owner.result(status == check.expectStatus(), "status " + status + ", expected " + check.expectStatus());
                    ctx.close();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            owner.result(false, cause.toString());
            ctx.close();
        }
    }
}
