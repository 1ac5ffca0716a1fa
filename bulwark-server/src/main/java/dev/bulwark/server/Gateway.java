package dev.bulwark.server;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.event.Registry;
import dev.bulwark.fallback.ResultCache;
import dev.bulwark.health.HealthMonitor;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.time.Scheduler;
import dev.bulwark.yaml.ConfigWatcher;
import dev.bulwark.yaml.GatewayConfig;
import dev.bulwark.yaml.GatewayConfigLoader;
import dev.bulwark.yaml.GatewayModes;
import dev.bulwark.yaml.ServerLimits;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;

/**
 * The gateway: {@code POST /query} fans a query out to the configured HTTP adapters, each behind the policies its
 * configuration gives (rate limit, bulkhead, circuit breaker, retry, hedge, timeout), and returns every adapter's
 * result; when all fail, the last good answer for the query is served from cache and the response says so. The
 * health endpoints show and reset the breakers; {@code /metrics} serves Prometheus text; {@code /health/config}
 * the last reload. The answer's status says what happened: 200 when an adapter (or the cache) answered, 502 when
 * every adapter called failed, 503 when none could be called; 429 for a client over its rate. Bad requests get a 4xx
 * with a JSON body naming the field, Jetty's own errors included. Every answer carries an {@code X-Request-Id}, and
 * every query writes one access log line. The {@code modes:} block sets the mode orchestrator and what each mode
 * does to queries ({@code /mode}, force and release; {@code X-Bulwark-Mode} on every answer), {@code quotas:} charges
 * each client ({@code /resources}), {@code health_monitoring.checks} adds HTTP and TCP checks, and the event handlers
 * receive circuit transitions, mode changes, fallbacks, health changes and reloads ({@code /health/events}).
 * {@link #close()} drains: it stops accepting, lets queries in flight finish within the shutdown timeout, then stops.
 */
public final class Gateway implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());
    /** How long, past the shutdown timeout, the server waits for the last answers to be written. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final Registry registry = new Registry();
    // HTTP/1.1: the default (HTTP/2) tries an h2c upgrade on every new plain-text connection. The client's own work
    // (parsing, reading bodies as strings) never blocks, so it runs on its selector thread: handing each step to a
    // pool cost half the gateway's throughput. Our callbacks still leave that thread: sendAsync completes its
    // future on CompletableFuture's default executor (see CommonPool). Built on first use: no query needs it.
    private final DeferredHttpClient client = new DeferredHttpClient(() -> HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).executor(Runnable::run).build());
    /** The adapters' client (the JDK's above serves the event handlers, health checks and failover). */
    private final BackendClient backends = BackendClient.start();
    /** The query path's timers: the fan-out's deadlines and the adapters' timeouts. */
    private final TimerWheel timers = new TimerWheel(ExactClock.INSTANCE);
    private final RunningConfiguration running;
    private final dev.bulwark.time.Clock timeSource;
    private final GatewayMetrics metrics = new GatewayMetrics(registry);
    private final ResultCache<String, List<String>> answers = ResultCache.builder("answers").clock(ExactClock.INSTANCE)
            .maxEntries(10_000).timeToLive(Duration.ofMinutes(5)).maxStaleness(Duration.ofHours(24)).build();
    private final InFlight inFlight = new InFlight();
    private final ModeOrchestrator modes;
    private final dev.bulwark.time.Clock clock = ExactClock.INSTANCE;
    private final AccessLog accessLog = new AccessLog();
    private final ReloadStatus reloads;
    private final HealthMonitor health;
    private final String adminToken;
    private final GatewayConfig.Server serverSettings;
    private final Javalin app;
    private final EventHandlers events;
    private final ConfiguredHealthChecks healthChecks;
    private final dev.bulwark.event.EventSource.Subscription eventWiring;
    private final @org.jspecify.annotations.Nullable ReplicaServices replica;
    private final FailoverService failovers;
    private final DeferredQueries deferred;
    private final AuditTrail audit;
    private final Dashboard dashboard;
    /** The {@code cluster:} block's shared breakers and quotas (read at start only), or null without one. */
    private final @org.jspecify.annotations.Nullable ClusterServices cluster;

    private Gateway(GatewayConfig settings, ModeOrchestrator orchestrator, dev.bulwark.time.Clock timeSource, Scheduler scheduler,
                    @org.jspecify.annotations.Nullable Path auditDirectory) {
        GatewayConfig.Server server = settings.server();
        this.timeSource = timeSource;
        this.adminToken = server.adminToken();
        this.serverSettings = server;
        if (!CommonPool.isParallel()) {
            LOG.log(System.Logger.Level.WARNING, "the common ForkJoinPool has one worker, so each answer to a "
                    + "webhook, HTTP health check or failover probe starts a thread; run with -D" + CommonPool.PARALLELISM + "=2 (GatewayMain does this for you)");
        }
        events = new EventHandlers(client, scheduler, metrics.registry());
        replica = ReplicaServices.open(settings.replica(), metrics.registry());
        audit = AuditTrail.open(replica == null ? null : replica.store(), auditDirectory);
        failovers = FailoverService.start(settings.replica().failoverGroups(), replica == null ? null : replica.store(),
                client, registry, events::publish);
        // through adapters(): the running configuration, assigned below, needs the deferred queries
        deferred = new DeferredQueries(scheduler, timeSource, name -> adapters().call(name),
                name -> adapters().operationTimeout(name));
        cluster = ClusterServices.start(settings.cluster(), metrics.registry());
        running = new RunningConfiguration(settings, registry, events, backends, timers, metrics.registry(), timeSource,
                scheduler, deferred, failovers, cluster);
        health = registry.register(ConfiguredHealthChecks.monitor(settings.healthMonitoring(), timeSource, scheduler,
                () -> breakers().values()));
        healthChecks = new ConfiguredHealthChecks(health, client);
        healthChecks.apply(settings.healthMonitoring().checks());
        failovers.watchHealth(health);
        failovers.bindMetrics(metrics.registry());
        modes = registry.register(orchestrator);
        modes.feedFrom(registry);
        eventWiring = EventWiring.attach(registry, modes, health, events);
        dashboard = new Dashboard(this, registry, events, audit, metrics.registry(), scheduler);
        reloads = new ReloadStatus(clock, metrics.registry());
        io.micrometer.core.instrument.FunctionCounter.builder("bulwark.access.log.dropped.lines", accessLog, AccessLog::dropped)
                .description("Access log lines dropped because the writer's queue was full").register(metrics.registry());
        ServerLimits limits = server.limits();
        ClientLimiter clients = limits.clientRateLimit() == null ? null : new ClientLimiter(limits.clientRateLimit(), clock);
        QueryRoute queries = new QueryRoute(running::adapters, modes, running::modeSettings, running::quotas, answers,
                inFlight, accessLog, clients, limits.maxAdaptersPerQuery(), server.maxRequestBytes(), clock,
                events::publish);
        app = GatewayRoutes.create(this, server, metrics, queries, reloads, replica);
        try {
            app.start();
        } catch (RuntimeException bindFailed) {
            dashboard.close();
            closeServices();
            throw PortInUse.explain(bindFailed, server.host(), server.port(), "server.port (or BULWARK_PORT)");
        }
        audit.openInBackground(); // no query needs it: it opens beside the first ones
        metrics.bindServer(app.jettyServer().server());
        // where it listens and what it serves come first; the monitors' own lines follow
        LOG.log(System.Logger.Level.INFO, "Bulwark gateway on http://" + server.host() + ":" + port() + " with adapters "
                + String.join(", ", adapterNames()) + "; at most " + limitsView().get("max_backend_calls_per_query")
                + " backend calls per query");
        LOG.log(System.Logger.Level.INFO, "dashboard: http://" + server.host() + ":" + port() + "/ (admin changes "
                + "audited in " + audit.where() + ")");
        dashboard.start();
        modes.start();
        if (settings.healthMonitoring().enabled()) {
            health.start();
        }
    }

    /** Starts a gateway as {@code config} describes, its {@code server:} and {@code modes:} blocks included. */
    public static Gateway start(GatewayConfig config) {
        return start(config, orchestratorOf(config));
    }

    /**
     * The {@code modes:} orchestrator on exact readings like the rest of the gateway: it files every query's result by
     * the clock's coarse reading, which with {@code Clock.system()} would keep its ticker thread waking every
     * millisecond under load.
     */
    static ModeOrchestrator orchestratorOf(GatewayConfig config) {
        return ModeOrchestrator.of(config.modes().orchestrator().toBuilder().clock(ExactClock.INSTANCE).buildConfig());
    }

    /**
     * As {@link #start(GatewayConfig)}, with a mode orchestrator of your own in place of the {@code modes:}
     * thresholds (what each mode does to queries still comes from {@code modes:}).
     */
    public static Gateway start(GatewayConfig config, ModeOrchestrator orchestrator) {
        return new Gateway(config, orchestrator, ExactClock.INSTANCE, Scheduler.system(), null);
    }

    /**
     * As {@link #start(GatewayConfig)}; without a {@code storage:} block, admin changes are audited in an embedded
     * database in {@code auditDirectory} (created when missing), so that they survive a restart.
     */
    public static Gateway start(GatewayConfig config, Path auditDirectory) {
        return new Gateway(config, orchestratorOf(config), ExactClock.INSTANCE, Scheduler.system(), auditDirectory);
    }

    /**
     * Starts a gateway on loopback {@code port} (0 for any free port) as {@code config} describes, whose mode
     * orchestrator (the {@code modes:} thresholds), health monitor and event delivery retries read and wait on
     * {@code time}, typically a {@link dev.bulwark.time.ManualClock} in tests.
     */
    public static <T extends dev.bulwark.time.Clock & Scheduler> Gateway start(GatewayConfig config, int port,
                                                                               String adminToken, T time) {
        GatewayConfig local = config.withServer(config.server().withPort(port).withAdminToken(adminToken));
        return new Gateway(local, ModeOrchestrator.of(config.modes().orchestrator().toBuilder().clockAndScheduler(time)
                .buildConfig()), time, time, null);
    }

    /**
     * Starts a gateway on loopback {@code port} (0 for any free port) as {@code config} describes, with
     * {@code adminToken} for the mutating admin endpoints (blank: they are refused to everyone).
     */
    public static Gateway start(GatewayConfig config, int port, String adminToken, ModeOrchestrator orchestrator) {
        GatewayConfig.Server server = config.server();
        return start(config.withServer(server.withPort(port).withAdminToken(adminToken)), orchestrator);
    }

    /**
     * Starts a gateway on {@code port} (0 for any free port) over the named adapters, each behind a circuit
     * breaker (5 consecutive failures, 10 s open period for the demo), a 1 s timeout and one retry; the admin token
     * is {@code BULWARK_ADMIN_TOKEN}.
     */
    public static Gateway start(Map<String, URI> adapters, int port) {
        GatewayConfig demo = demoConfig(adapters);
        return start(demo, port, System.getenv().getOrDefault("BULWARK_ADMIN_TOKEN", ""),
                ModeOrchestrator.of(demo.modes().orchestrator()));
    }

    /** The configuration {@link #start(Map, int)} uses. */
    public static GatewayConfig demoConfig(Map<String, URI> adapters) {
        StringBuilder yaml = new StringBuilder("fault_tolerance:\n  recovery_timeout: 10s\n  max_recovery_timeout: 60s\n"
                + "  execution:\n    timeout: 3s\nadapters:\n");
        adapters.forEach((name, url) -> yaml.append("  - name: ").append(name).append("\n    url: ").append(url)
                .append("\n    fault_tolerance:\n      operation_timeout: 1s\n"));
        return GatewayConfigLoader.parse("built-in demo configuration", yaml.toString());
    }

    /**
     * Applies a new configuration while running (hot reload): components whose settings did not change keep their
     * state (an open breaker stays open); the others are rebuilt; removed adapters leave the registry. The new
     * fan-out takes over at once and the old one drains its in-flight calls. The {@code server:} block is read at
     * start only.
     */
    public void reload(GatewayConfig settings) {
        AdapterSet previous = adapters();
        running.install(settings);
        healthChecks.apply(settings.healthMonitoring().checks());
        if (previous != adapters()) {
            previous.shutdown();
        }
    }

    /**
     * Watches {@code file} every {@code interval} on {@code scheduler} and reloads it when it changes; each result
     * (applied, or refused with the error and the running configuration kept) is logged, shown at
     * {@code GET /health/config} and counted in {@code bulwark_config_reloads_total}.
     *
     * @throws dev.bulwark.yaml.ConfigFileException if the file is invalid now
     */
    public ConfigWatcher watch(Path file, Scheduler scheduler, Duration interval) {
        return reloads.watch(file, scheduler, interval, this::reload, events::publish);
    }

    /** Listens to the access log: one line per {@code /query} answer (the listener must be fast and not throw). */
    public void onAccessLog(java.util.function.Consumer<String> listener) {
        accessLog.subscribe(listener);
    }

    /**
     * The bounds a client runs into: adapters per query, the worst case of backend calls per query (each adapter
     * at most once, times its attempts and hedges), the per-client limit, the header read deadline.
     */
    Map<String, Object> limitsView() {
        return HealthRoutes.limits(serverSettings.limits(), adapters().maxBackendCalls());
    }

    /** The adapters' names, in configuration order. */
    public List<String> adapterNames() {
        return List.copyOf(adapters().breakers().keySet());
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** The Jetty server underneath (for tests of its settings). */
    Server jettyServer() {
        return app.jettyServer().server();
    }

    /** Everything it runs, by name. */
    public Registry registry() {
        return registry;
    }

    /** The health monitor running the gateway's checks (started when {@code health_monitoring.enabled}). */
    public HealthMonitor health() {
        return health;
    }

    /** The mode orchestrator watching the gateway's outcomes. */
    public ModeOrchestrator modes() {
        return modes;
    }

    /** The audit of admin changes. */
    AuditTrail audit() {
        return audit;
    }

    Dashboard dashboard() {
        return dashboard;
    }

    long wallMillis() {
        return timeSource.wallMillis();
    }

    FailoverService failovers() {
        return failovers;
    }

    /** The shared breakers and quotas of the {@code cluster:} block, or null without one. */
    @org.jspecify.annotations.Nullable ClusterServices cluster() {
        return cluster;
    }

    @org.jspecify.annotations.Nullable QuotaGate quotas() {
        return running.quotas();
    }

    DeferredQueries deferred() {
        return deferred;
    }

    GatewayModes modeSettings() {
        return running.modeSettings();
    }

    /** The JDK client of webhooks, HTTP health checks and failover (for tests of what start-up builds). */
    DeferredHttpClient outboundClient() {
        return client;
    }

    /** The event handlers, for tests that wait for deliveries. */
    EventHandlers events() {
        return events;
    }

    Map<String, CircuitBreaker> breakers() {
        return adapters().breakers();
    }

    private AdapterSet adapters() {
        return running.adapters();
    }

    boolean authorizedAdmin(String token) {
        return !adminToken.isBlank() && java.security.MessageDigest.isEqual(
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8), adminToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    int cachedAnswers() {
        return answers.stats().size();
    }

    CircuitBreaker.State state(String adapter) {
        CircuitBreaker breaker = breakers().get(adapter);
        if (breaker == null) {
            throw new IllegalArgumentException("no adapter named '" + adapter + "'");
        }
        return breaker.state();
    }

    /** Queries being answered now. */
    int queriesInFlight() {
        return inFlight.count();
    }

    /**
     * Shuts down gracefully: stops accepting connections and queries (a query on a kept-alive connection gets a
     * 503), lets the queries in flight finish for up to the configured {@code shutdown_timeout} (the fan-out
     * cancels adapter calls still running then, and those queries are answered with what finished), then stops.
     */
    @Override
    public void close() {
        inFlight.close();
        dashboard.close();
        adapters().shutdown();
        Server jetty = app.jettyServer().server();
        // Jetty's graceful stop closes the listener at once, then waits for requests in flight (the fan-out cancels
        // adapter calls still running at its shutdown timeout, so those queries end by then)
        jetty.setStopTimeout(running.shutdownTimeout().plus(STOP_GRACE).toMillis());
        try {
            app.stop();
        } catch (RuntimeException late) {
            LOG.log(System.Logger.Level.WARNING, "stopped with " + inFlight.count() + " queries unanswered: " + late);
        } finally {
            modes.stop();
            health.stop();
            closeServices();
        }
    }

    /** Closes what start-up opened before the server: event delivery, the backend client, timers, stores. */
    private void closeServices() {
        eventWiring.cancel();
        events.close();
        deferred.close();
        backends.stop();
        timers.close();
        accessLog.close();
        metrics.close();
        failovers.close();
        audit.close();
        if (cluster != null) {
            cluster.close();
        }
        if (replica != null) {
            replica.close();
        }
    }
}
