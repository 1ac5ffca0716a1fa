package dev.bulwark.server;

import dev.bulwark.fallback.ResultCache;
import dev.bulwark.fanout.FanOut;
import dev.bulwark.server.events.GatewayEvent;
import dev.bulwark.yaml.GatewayModes;
import dev.bulwark.yaml.GatewayQuotas;
import dev.bulwark.fanout.FanOut.RequestOptions;
import dev.bulwark.fanout.FanOutResult;
import dev.bulwark.mode.Mode;
import dev.bulwark.mode.ModeOrchestrator;
import dev.bulwark.time.Clock;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code POST /query}: the per-client limit, the body ({@link QueryRequestParser}), what the current mode does to the
 * query ({@link GatewayModes.Behaviour}: another strategy, optional adapters skipped, hedges off, or the cache only),
 * the fan-out, the cache fallback, the status ({@link QueryStatus}) and one access log line per query, whatever the
 * outcome.
 */
final class QueryRoute {
    private static final Pattern SAFE_CLIENT = Pattern.compile("[\\x21-\\x7e]{1,128}");

    private final Supplier<AdapterSet> adapters;
    private final ModeOrchestrator modes;
    private final Supplier<GatewayModes> behaviours;
    private final Supplier<@org.jspecify.annotations.Nullable QuotaGate> quotas;
    private final ResultCache<String, List<String>> answers;
    private final InFlight inFlight;
    private final AccessLog accessLog;
    private final @org.jspecify.annotations.Nullable ClientLimiter clients;
    private final int maxAdaptersPerQuery;
    private final int maxRequestBytes;
    private final Clock clock;
    private final java.util.function.Consumer<GatewayEvent> events;
    private volatile @org.jspecify.annotations.Nullable ParserFor parser;

    QueryRoute(Supplier<AdapterSet> adapters, ModeOrchestrator modes, Supplier<GatewayModes> behaviours,
               Supplier<@org.jspecify.annotations.Nullable QuotaGate> quotas, ResultCache<String, List<String>> answers,
               InFlight inFlight, AccessLog accessLog, @org.jspecify.annotations.Nullable ClientLimiter clients, int maxAdaptersPerQuery, int maxRequestBytes,
               Clock clock, java.util.function.Consumer<GatewayEvent> events) {
        this.adapters = adapters;
        this.modes = modes;
        this.behaviours = behaviours;
        this.quotas = quotas;
        this.answers = answers;
        this.inFlight = inFlight;
        this.accessLog = accessLog;
        this.clients = clients;
        this.maxAdaptersPerQuery = maxAdaptersPerQuery;
        this.maxRequestBytes = maxRequestBytes;
        this.clock = clock;
        this.events = events;
    }

    void handle(Context ctx) {
        long start = clock.nanoTime();
        String requestId = RequestIds.of(ctx);
        String client;
        try {
            client = client(ctx);
        } catch (ClientError refused) {
            refuse(ctx, start, requestId, ctx.ip(), refused.status(), refused.field(), refused.getMessage());
            return;
        }
        if (clients != null && !clients.tryAcquire(client)) {
            ctx.header("Retry-After", Long.toString(clients.retryAfterSeconds()));
            refuse(ctx, start, requestId, client, 429, "client", "client '" + client + "' is over its rate of queries "
                    + "(server.client_rate_limit); retry after " + clients.retryAfterSeconds() + " s");
            return;
        }
        if (!inFlight.enter()) {
            refuse(ctx, start, requestId, client, 503, "request", "the gateway is shutting down");
            return;
        }
        boolean answerLater = false;
        try {
            answerLater = answer(ctx, start, requestId, client);
        } finally {
            if (!answerLater) {
                inFlight.exit();
            }
        }
    }

    /** The client's key for the per-client limit: the configured header when present, else the remote address. */
    private String client(Context ctx) {
        String header = clients == null ? "X-Client-Id" : clients.clientHeader();
        String named = ctx.header(header);
        if (named == null) {
            return ctx.ip();
        }
        if (!SAFE_CLIENT.matcher(named).matches()) {
            throw new ClientError(400, header, header + " must be 1 to 128 visible ASCII characters");
        }
        return named;
    }

    /** Answers a query; true when the answer comes later (then it calls {@code inFlight.exit()} itself). */
    private boolean answer(Context ctx, long start, String requestId, String client) {
        AdapterSet current = adapters.get();
        QueryRequest request;
        try {
            request = parser(current).parse(ctx.bodyAsBytes(), ctx.header("Content-Type"));
        } catch (ClientError refused) {
            refuse(ctx, start, requestId, client, refused.status(), refused.field(), refused.getMessage());
            return false;
        } catch (HttpResponseException tooLarge) {
            refuse(ctx, start, requestId, client, tooLarge.getStatus(), "body", tooLarge.getStatus() == 413
                    ? HttpErrors.tooLarge(maxRequestBytes) : String.valueOf(tooLarge.getMessage()));
            return false;
        }
        PrioritizedShedder.Priorities priorities;
        try {
            priorities = QuerySteering.priorities(ctx, current);
        } catch (ClientError refused) {
            refuse(ctx, start, requestId, client, refused.status(), refused.field(), refused.getMessage());
            return false;
        }
        QuotaGate gate = quotas.get();
        QuotaGate.Decision quota;
        try {
            quota = gate == null ? null : gate.admit(ctx);
        } catch (ClientError refused) {
            refuse(ctx, start, requestId, client, refused.status(), refused.field(), refused.getMessage());
            return false;
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (quota != null) {
            extra.put("quota", quota.view());
            ctx.header("X-Bulwark-Quota", quota.reading().status().name());
        }
        if (quota != null && quota.action() == GatewayQuotas.Action.REJECT) {
            ctx.header("Retry-After", Long.toString(gate.retryAfterSeconds()));
            refuse(ctx, start, requestId, client, 429, gate.settings().keyHeader(), "the quota of '" + quota.key()
                    + "' is exhausted (quotas.on_exhausted: reject); retry after " + gate.retryAfterSeconds() + " s");
            return false;
        }
        Mode mode = modes.mode();
        GatewayModes.Behaviour behaviour = behaviour(mode);
        boolean quotaDegrades = quota != null && quota.action() == GatewayQuotas.Action.DEGRADE && mode == Mode.NORMAL;
        if (quotaDegrades) {
            behaviour = behaviours.get().degraded();
        }
        if (quota != null && quota.action() == GatewayQuotas.Action.CACHE) {
            cacheOnly(ctx, start, requestId, client, request.query(), mode, "the quota of '" + quota.key() + "' is "
                    + quota.reading().status() + " (quotas.on_" + quota.reading().status().name().toLowerCase(Locale.ROOT)
                    + ": cache)", extra);
            return false;
        }
        if (behaviour.cacheOnly()) {
            cacheOnly(ctx, start, requestId, client, request.query(), mode,
                    modes.notification().map(change -> change.reason()).orElse(""), extra);
            return false;
        }
        List<String> asked = request.adapters().isEmpty() ? current.names() : request.adapters();
        List<String> skipped = behaviour.skipOptionalAdapters()
                ? asked.stream().filter(current.optional()::contains).toList() : List.of();
        List<String> called = skipped.isEmpty() ? asked : asked.stream().filter(name -> !skipped.contains(name)).toList();
        if (called.isEmpty()) {
            cacheOnly(ctx, start, requestId, client, request.query(), mode, (quotaDegrades ? "the quota" : mode + " mode")
                    + " skips the optional adapters " + skipped + " and the query asked no other", extra);
            return false;
        }
        DeferredQueries.Tickets tickets = new DeferredQueries.Tickets();
        if (quota != null && quota.action() == GatewayQuotas.Action.QUEUE_FOR_LATER) {
            extra.put("quota_steering", "queue_for_later");
            called = called.stream().filter(name -> !current.deferred().enqueue(name, request.query(), tickets)).toList();
            if (called.isEmpty()) {
                queuedOnly(ctx, start, requestId, client, mode, "the quota of '" + quota.key() + "' is "
                        + quota.reading().status() + " (quotas.on_" + quota.reading().status().name().toLowerCase(Locale.ROOT)
                        + ": queue_for_later)", tickets.byAdapter(), extra);
                return false;
            }
        }
        ServedBy servedBy = new ServedBy();
        RequestOptions options = RequestOptions.defaults()
                .adapters(skipped.isEmpty() && tickets.byAdapter().isEmpty() ? request.adapters() : called)
                .with(HttpAdapter.REQUEST_ID, requestId).with(HttpAdapter.QUERY, request.query())
                .with(HttpAdapter.SERVED_BY, servedBy).with(DeferredQueries.TICKETS, tickets)
                .with(PrioritizedShedder.Priorities.KEY, priorities);
        if (quota != null && quota.action() == GatewayQuotas.Action.SWITCH_PROVIDER) {
            extra.put("quota_steering", "switch_provider");
            options = options.with(HttpAdapter.QUOTA_SWITCH, Boolean.TRUE);
        }
        FanOut.Strategy strategy = behaviour.strategy() != null ? behaviour.strategy() : request.strategy();
        if (strategy != null) {
            options = options.strategy(strategy);
        }
        RequestOptions chosen = options;
        Map<String, Object> actions = new LinkedHashMap<>();
        if (mode != Mode.NORMAL || quotaDegrades) {
            actions.put("strategy", behaviour.strategy() == null ? "as asked" : behaviour.strategy().name().toLowerCase(Locale.ROOT));
            actions.put("skipped_optional", skipped);
            actions.put("hedging", behaviour.hedging());
            actions.put("because", quotaDegrades ? "quota" : "mode");
        }
        var fanOut = behaviour.hedging() ? current.fanOut() : current.fanOutWithoutHedges();
        // one stage after the fan-out's: each further one is another completion on the answer path
        ctx.future(() -> fanOut.executeAsync(request.query(), chosen).toCompletableFuture().handle((result, error) -> {
            Throwable failure = error;
            try {
                if (failure == null) {
                    respond(ctx, start, requestId, client, request.query(), mode, actions, extra, servedBy,
                            tickets.byAdapter(), current, result);
                }
            } catch (RuntimeException | Error unanswered) {
                failure = unanswered;
            } finally {
                inFlight.exit();
            }
            if (failure != null) {
                accessLog.query(requestId, client, 500, took(start), "-", "none", List.of(), Views.describe(failure));
                throw failure instanceof java.util.concurrent.CompletionException completion ? completion
                        : new java.util.concurrent.CompletionException(failure);
            }
            return null;
        }));
        return true;
    }

    /** The parser for {@code current}'s adapters, made once per adapter set (a reload makes a new one). */
    private QueryRequestParser parser(AdapterSet current) {
        ParserFor last = parser;
        if (last == null || last.adapters() != current) {
            last = new ParserFor(current, new QueryRequestParser(current.breakers().keySet(), maxAdaptersPerQuery));
            parser = last;
        }
        return last.parser();
    }

    private record ParserFor(AdapterSet adapters, QueryRequestParser parser) {
    }

    private GatewayModes.Behaviour behaviour(Mode mode) {
        return switch (mode) {
            case NORMAL -> GatewayModes.Behaviour.normal();
            case DEGRADED -> behaviours.get().degraded();
            case EMERGENCY -> behaviours.get().emergency();
        };
    }

    /**
     * Renders a fan-out's result; when no adapter answered, the query is 202 Accepted if an adapter kept it for later
     * (its tickets in the answer), else the last good answer for the query is served from cache.
     */
    private void respond(Context ctx, long start, String requestId, String client, String query, Mode mode,
                         Map<String, Object> actions, Map<String, Object> extra, ServedBy servedBy,
                         Map<String, String> tickets, AdapterSet current, FanOutResult<String> result) {
        Optional<List<String>> cached = Optional.empty();
        boolean queued = !result.anySucceeded() && !tickets.isEmpty();
        if (result.anySucceeded()) {
            answers.put(query, result.values());
        } else if (!queued) {
            cached = answers.usable(query);
        }
        List<String> shed = result.anySucceeded() || queued || cached.isPresent() ? List.of() : QuerySteering.shed(result);
        int status = queued ? 202 : !shed.isEmpty() ? 503 : QueryStatus.of(result, cached.isPresent());
        if (!shed.isEmpty()) {
            ctx.header("Retry-After", Long.toString(QuerySteering.retryAfterSeconds(current, shed)));
        }
        ctx.header(ModeRoutes.HEADER, mode.name());
        String fallback = queued ? "queue_for_later" : cached.isPresent() ? "cache" : !shed.isEmpty() ? "load_shed" : "none";
        if (queued) {
            ctx.header("Location", "/query/" + DeferredQueries.Tickets.first(tickets));
        }
        Views.json(ctx, status, QueryAnswer.json(result, new QueryAnswer.Parts(requestId, mode.name(), actions, shed,
                fallback, cached, tickets, servedBy, extra)));
        if (!result.anySucceeded()) {
            events.accept(new GatewayEvent.FallbackOutcome(requestId, mode, fallback,
                    result.results().stream().filter(adapter -> !adapter.succeeded()).map(adapter -> adapter.name()).toList(),
                    clock.wallMillis()));
        }
        accessLog.query(requestId, client, status, took(start), Views.label(result.strategy()),
                fallback, result.results(), "");
    }

    /** Answers 202 with the tickets of a query every called adapter kept for later, calling none. */
    private void queuedOnly(Context ctx, long start, String requestId, String client, Mode mode, String reason,
                            Map<String, String> tickets, Map<String, Object> extra) {
        String first = DeferredQueries.Tickets.first(tickets);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_id", requestId);
        out.put("mode", mode.name());
        ctx.header(ModeRoutes.HEADER, mode.name());
        out.put("fallback", "queue_for_later");
        out.put("results", List.of());
        out.put("partial", true);
        out.put("reason", reason);
        out.put("ticket", first);
        out.put("tickets", new java.util.TreeMap<>(tickets));
        out.putAll(extra);
        ctx.header("Location", "/query/" + first);
        Views.json(ctx, 202, out);
        events.accept(new GatewayEvent.FallbackOutcome(requestId, mode, "queue_for_later", List.of(), clock.wallMillis()));
        accessLog.query(requestId, client, 202, took(start), "quota", "queue_for_later", List.of(), "");
    }

    /** Answers from the cache alone, calling no adapter: 200 with the last good answer, else 503. */
    private void cacheOnly(Context ctx, long start, String requestId, String client, String query, Mode mode, String reason,
                           Map<String, Object> extra) {
        Optional<List<String>> cached = answers.usable(query);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_id", requestId);
        out.put("mode", mode.name());
        ctx.header(ModeRoutes.HEADER, mode.name());
        out.put("fallback", cached.isPresent() ? "cache" : "none");
        out.put("results", cached.orElse(List.of()));
        out.put("partial", true);
        out.put("reason", reason);
        out.putAll(extra);
        int status = cached.isPresent() ? 200 : 503;
        Views.json(ctx, status, out);
        events.accept(new GatewayEvent.FallbackOutcome(requestId, mode, cached.isPresent() ? "cache" : "none", List.of(),
                clock.wallMillis()));
        String label = mode.name().toLowerCase(Locale.ROOT);
        accessLog.query(requestId, client, status, took(start), label, cached.isPresent() ? "cache" : "none",
                List.of(), cached.isPresent() ? "" : mode + " mode and no cached answer");
    }

    private void refuse(Context ctx, long start, String requestId, String client, int status, String field, String message) {
        Views.error(ctx, status, field, message);
        accessLog.query(requestId, client, status, took(start), "-", "none", List.of(), message);
    }

    private Duration took(long start) {
        return Duration.ofNanos(clock.nanoTime() - start);
    }
}
