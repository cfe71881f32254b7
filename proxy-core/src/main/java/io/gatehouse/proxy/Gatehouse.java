package io.gatehouse.proxy;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.HostPort;
import io.gatehouse.config.SessionTicketConfig;
import io.gatehouse.ocsp.OcspStaplingService;
import io.gatehouse.ocsp.StapleStatus;
import io.gatehouse.proxy.admin.AdminHandler;
import io.gatehouse.proxy.admin.GatehouseMetrics;
import io.gatehouse.proxy.admin.HealthReport;
import io.gatehouse.proxy.backend.AddressText;
import io.gatehouse.proxy.backend.HealthChecker;
import io.gatehouse.proxy.backend.UpstreamConnector;
import io.gatehouse.proxy.http.RouteTable;
import io.gatehouse.proxy.http.UpstreamPools;
import io.gatehouse.sni.Finding;
import io.gatehouse.sni.ServerCertificate;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Gatehouse: its listeners, its admin endpoint and its event loops. Everything is wired here by
 * constructor, so two instances can run in one JVM (as the tests do).
 */
public final class Gatehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);

    private final PreparedConfig prepared;
    private final Transport transport;
    /**
     * Accepts as well as serves: a listener accepts on one of these loops and hands each connection to the next. A
     * thread of its own for accepting cost a wake-up, a thread switch and a queued hand-over per connection (that
     * thread alone took 2.7% of the CPU under full RSA handshakes), and it kept accepting while every loop was
     * saturated, when the kernel's backlog should push back instead.
     */
    private final EventLoopGroup workerGroup;
    private final ConnectionTracker tracker = new ConnectionTracker();
    private final UpstreamConnector connector;
    private final GatehouseMetrics metrics = new GatehouseMetrics();
    private OcspStaplingService stapling;
    private final Map<String, Channel> listenerChannels = new LinkedHashMap<>();
    private final List<HealthChecker> healthCheckers = new ArrayList<>();
    private final List<SessionTicketKeyRotation> ticketRotations = new ArrayList<>();
    private Channel adminChannel;
    /** Stays closed, as the other connections' groups do (see {@link #close()}). */
    private final ChannelGroup adminConnections = new DefaultChannelGroup("admin connections", GlobalEventExecutor.INSTANCE, true);
    private volatile boolean serving = true;

    private Gatehouse(PreparedConfig prepared, Transport transport) {
        this.prepared = prepared;
        this.transport = transport;
        int workers = prepared.config().workers().orElse(Runtime.getRuntime().availableProcessors());
        this.workerGroup = transport.newGroup(workers, "gatehouse-io");
        this.connector = new UpstreamConnector(transport.socketChannel());
    }

    /** Loads certificates, resolves backends, then binds every listener, or nothing at all. */
    public static Gatehouse start(GatehouseConfig config) throws ConfigException, StartupException {
        return start(new ConfigPreparation().prepare(config), Transport.best());
    }

    public static Gatehouse start(PreparedConfig prepared, Transport transport) throws StartupException {
        Gatehouse gatehouse = new Gatehouse(prepared, transport);
        try {
            gatehouse.bindAll();
        } catch (StartupException e) {
            gatehouse.close();
            throw e;
        }
        return gatehouse;
    }

    /** Certificate problems do not stop a start (a skewed clock must not take a cloud down), but each is logged. */
    private void logFindings() {
        prepared.findings().values().forEach(findings -> findings.forEach(finding -> {
            if (finding.severity() == Finding.Severity.ERROR) {
                LOG.error("certificate problem nickname={} source={} problem={} fix={}", finding.nickname(), finding.source(),
                        finding.problem(), finding.fix());
            } else {
                LOG.warn("certificate warning nickname={} source={} problem={} fix={}", finding.nickname(), finding.source(),
                        finding.problem(), finding.fix());
            }
        }));
    }

    private void bindAll() throws StartupException {
        logFindings();
        startStapling();
        if (!transport.name().equals("epoll")) {
            LOG.warn("native epoll unavailable, using NIO transport reason={}", Transport.epollUnavailability());
        }
        if (prepared.certificates().all().stream().anyMatch(c -> prepared.rsaSigners().signerOf(c).isPresent())) {
            LOG.info("rsa certificates sign_with=\"{}\"", prepared.rsaSigners().describe());
        }
        Map<String, UpstreamPools> pools = new LinkedHashMap<>();
        prepared.backends().forEach((name, backend) -> pools.put(name, new UpstreamPools(backend, connector)));
        warnAboutUnverifiedBackends();
        startHealthChecks(connector);
        prepared.certificates().all().forEach(metrics::certificate);
        prepared.backends().values().forEach(backend -> backend.servers().forEach(server ->
                metrics.upstreamServer(backend.name(), server.text(), () -> server.healthy() && !server.isEjected())));
        metrics.openConnections(tracker::size);
        for (ListenerRuntime listener : prepared.listeners()) {
            listener.config().sessionTickets().ifPresent(tickets -> startTicketKeys(listener, tickets));
            Channel channel = bind(listener.config().origin() + ".bind", listener.config().bind(),
                    new DownstreamPipeline(listener, tracker, RouteTable.of(listener.config(), pools), connector,
                            metrics.listener(listener.name()), staples(), prepared.config().drainTimeout()));
            listenerChannels.put(listener.name(), channel);
            LOG.info("listener ready name={} address={} mode={} default_certificate={} certificates={} forwards_to=\"{}\" transport={}",
                    listener.name(), addressText(channel), listener.config().plain() ? "redirect" : listener.config().mode().yamlName(),
                    listener.defaultCertificate().map(c -> c.nickname().value()).orElse("none"),
                    listener.certificates().stream().map(c -> c.nickname().value()).distinct().toList(),
                    listener.forwardingText(prepared.backends()), transport.name());
        }
        Optional<HostPort> adminBind = prepared.config().admin().map(a -> a.bind());
        if (adminBind.isPresent()) {
            AdminHandler admin = new AdminHandler(this::health, metrics::scrape);
            adminChannel = bind("admin.bind", adminBind.get(), new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    adminConnections.add(ch);
                    ch.pipeline()
                            .addLast(PipelineNames.HTTP_CODEC, new HttpServerCodec())
                            .addLast(PipelineNames.AGGREGATOR, new HttpObjectAggregator(8192))
                            .addLast(PipelineNames.ADMIN, admin);
                }
            });
            LOG.info("admin ready address={} endpoints=/healthz,/metrics", addressText(adminChannel));
        }
    }

    private void startHealthChecks(UpstreamConnector connector) {
        prepared.backends().values().forEach(backend -> backend.config().health().ifPresent(check -> {
            HealthChecker checker = new HealthChecker(backend, check, connector);
            checker.start(workerGroup);
            healthCheckers.add(checker);
        }));
    }

    private void warnAboutUnverifiedBackends() {
        prepared.backends().values().stream().filter(b -> b.config().tls().map(t -> !t.verify()).orElse(false)).forEach(b ->
                LOG.warn("backend TLS verification is off backend={} servers={} (anyone on the path can impersonate them;"
                        + " set tls.verify: true with tls.ca)", b.name(), b.serversText()));
    }

    private void startTicketKeys(ListenerRuntime listener, SessionTicketConfig tickets) {
        SessionTicketKeyRotation rotation = new SessionTicketKeyRotation(listener.name(), tickets, listener.contexts(), java.time.Clock.systemUTC());
        rotation.start(listener.ticketKeys());
        ticketRotations.add(rotation);
    }

    private Channel bind(String field, HostPort address, ChannelInitializer<Channel> initializer) throws StartupException {
        InetSocketAddress socketAddress = address.isWildcard()
                ? new InetSocketAddress(address.port())
                : new InetSocketAddress(address.host(), address.port());
        if (socketAddress.isUnresolved()) {
            throw new StartupException(field + ": " + address + " cannot be resolved to a local address"
                    + " (use an IP address or a name in /etc/hosts)", null);
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                // No childOption(TCP_NODELAY): Netty's socket configs turn it on as they are made, and setting it
                // again cost one more system call per accepted connection (TransportTest guards the default).
                .childHandler(initializer);
        try {
            return bootstrap.bind(socketAddress).sync().channel();
        } catch (Exception e) {
            Throwable cause = e;
            if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
                throw new StartupException(field + ": " + address + " is already in use (stop the process listening there,"
                        + " see 'ss -ltnp', or choose another port)", cause);
            }
            if (String.valueOf(cause.getMessage()).contains("Cannot assign requested address")) {
                throw new StartupException(field + ": " + address + " is not an address of this machine"
                        + " (check 'ip addr', or bind to * for all addresses)", cause);
            }
            if (String.valueOf(cause.getMessage()).contains("Permission denied")) {
                throw new StartupException(field + ": binding " + address + " was refused (ports below 1024 need"
                        + " CAP_NET_BIND_SERVICE or root)", cause);
            }
            throw new StartupException(field + ": cannot listen on " + address + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Starts fetching staples in the background. Listeners bind right after, without waiting: an identity server
     * can be its own OCSP responder behind this very proxy.
     */
    private void startStapling() throws StartupException {
        try {
            stapling = OcspStaplingService.overHttp(prepared.staplingTargets(), prepared.config().ocsp(), metrics,
                    prepared.config().source());
        } catch (ConfigException e) {
            throw new StartupException(String.join("; ", e.problems()), e);
        }
        stapling.statuses().forEach(status -> metrics.ocspStatus(status, () -> stapling.statuses().stream()
                .filter(s -> s.nickname().equals(status.nickname())).findFirst().orElse(status)));
        stapling.start();
    }

    private StapleLookup staples() {
        OcspStaplingService service = stapling;
        return new StapleLookup() {
            @Override
            public byte[] stapleFor(ServerCertificate certificate) {
                return service.staple(certificate);
            }

            @Override
            public boolean refuses(ServerCertificate certificate) {
                return service.refusesToServe(certificate);
            }
        };
    }

    /** The address a listener is bound to; useful when the configuration asked for port 0. */
    public InetSocketAddress address(String listener) {
        return (InetSocketAddress) listenerChannel(listener).localAddress();
    }

    Channel listenerChannel(String listener) {
        Channel channel = listenerChannels.get(listener);
        if (channel == null) {
            throw new IllegalArgumentException("no listener named " + listener);
        }
        return channel;
    }

    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(adminChannel).map(c -> (InetSocketAddress) c.localAddress());
    }

    public PreparedConfig prepared() {
        return prepared;
    }

    HealthReport health() {
        List<HealthReport.ListenerStatus> listeners = new ArrayList<>();
        for (ListenerRuntime listener : prepared.listeners()) {
            Channel channel = listenerChannels.get(listener.name());
            listeners.add(new HealthReport.ListenerStatus(listener.name(), channel == null ? "" : addressText(channel),
                    listener.config().plain() ? "redirect" : listener.config().mode().yamlName(),
                    listener.defaultCertificate().map(c -> c.nickname().value()).orElse("")));
        }
        List<HealthReport.OcspStatus> ocsp = new ArrayList<>();
        if (stapling != null) {
            for (StapleStatus status : stapling.statuses()) {
                ocsp.add(new HealthReport.OcspStatus(status.nickname(), status.current().map(r -> r.status().label()).orElse("none"),
                        status.stapling(), status.current().map(r -> r.nextUpdate().toString()).orElse(""),
                        status.current().flatMap(r -> r.revocationTime()).map(Object::toString).orElse("")));
            }
        }
        List<HealthReport.ServerStatus> servers = new ArrayList<>();
        prepared.backends().values().forEach(backend -> backend.servers().forEach(server -> servers.add(new HealthReport.ServerStatus(
                backend.name(), server.text(), server.healthy(), server.isEjected(), server.inFlight()))));
        return new HealthReport(serving, listeners, ocsp, servers);
    }

    /**
     * Graceful stop: closes the listening sockets, lets in-flight exchanges finish for up to {@code timeout}, then
     * closes what remains and stops the event loops.
     */
    public void drainAndStop(Duration timeout) {
        serving = false;
        LOG.info("draining connections={} timeout={}s", tracker.size(), timeout.toSeconds());
        long deadline = System.nanoTime() + timeout.toNanos();
        // Closed first, so that no connection arrives during the drain; awaited within the drain's own deadline,
        // since a listener closes on an event loop that may be busy.
        Map<String, ChannelFuture> closing = new LinkedHashMap<>();
        listenerChannels.forEach((name, channel) -> closing.put(name, channel.close()));
        closing.forEach((name, closed) -> {
            if (!closed.awaitUninterruptibly(nanosUntil(deadline), TimeUnit.NANOSECONDS)) {
                LOG.warn("listener not closed by the drain deadline name={}", name);
            }
        });
        int cut;
        try {
            cut = tracker.drain(Duration.ofNanos(nanosUntil(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cut = tracker.size();
        }
        if (cut > 0) {
            LOG.warn("drain deadline reached, closed connections={}", cut);
        }
        close();
        LOG.info("stopped");
    }

    /** What is left until {@code deadline}, a {@link System#nanoTime()} reading: none once it has passed. */
    private static long nanosUntil(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Immediate stop: closes every socket and the event loops. */
    @Override
    public void close() {
        serving = false;
        listenerChannels.values().forEach(Channel::close);
        healthCheckers.forEach(HealthChecker::close);
        ticketRotations.forEach(SessionTicketKeyRotation::close);
        if (stapling != null) {
            stapling.close();
        }
        if (adminChannel != null) {
            adminChannel.close();
        }
        // Closed here rather than left to the loops' shutdown, which can miss channels (see UpstreamConnector);
        // waited for within one bound, since a busy loop closes late.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<ChannelGroupFuture> closing = List.of(tracker.closeAll(), connector.closeAll(), adminConnections.close());
        for (ChannelGroupFuture connections : closing) {
            if (!connections.awaitUninterruptibly(nanosUntil(deadline), TimeUnit.NANOSECONDS)) {
                LOG.warn("connections not closed within 2s, stopping the event loops anyway group=\"{}\"", connections.group().name());
            }
        }
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static String addressText(Channel channel) {
        return AddressText.of((InetSocketAddress) channel.localAddress());
    }
}
