package dev.bulwark.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.fanout.FanOutResult.AdapterResult;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the gateway shows things as JSON: query results, breakers, errors. */
final class Views {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Views() {
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    private static final String[] STRATEGY_LABELS = labels(dev.bulwark.fanout.FanOut.Strategy.values());
    private static final String[] STATUS_LABELS = labels(AdapterResult.Status.values());

    /** A strategy's name as the answers and the access log spell it: lower case. */
    static String label(dev.bulwark.fanout.FanOut.Strategy strategy) {
        return STRATEGY_LABELS[strategy.ordinal()];
    }

    /** An adapter status's name as the answers spell it: lower case. */
    static String label(AdapterResult.Status status) {
        return STATUS_LABELS[status.ordinal()];
    }

    private static String[] labels(Enum<?>[] values) {
        String[] labels = new String[values.length];
        for (Enum<?> value : values) {
            labels[value.ordinal()] = value.name().toLowerCase(Locale.ROOT);
        }
        return labels;
    }

    /**
     * What went wrong, with its causes: {@code "ConnectException: ... <- ClosedChannelException"}, each exception's
     * type and message (wrappers that add nothing, such as {@code CompletionException}, are skipped).
     */
    static String describe(Throwable error) {
        StringBuilder out = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable cause = error; cause != null && seen.add(cause) && seen.size() <= 5; cause = cause.getCause()) {
            if ((cause instanceof java.util.concurrent.CompletionException
                    || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
                continue;
            }
            String message = cause.getMessage();
            if (out.length() > 0) {
                if (message != null && out.indexOf(message) >= 0) {
                    continue;
                }
                out.append(" <- ");
            }
            out.append(cause instanceof BackendException ? "" : cause.getClass().getSimpleName());
            if (message != null && !message.isBlank()) {
                out.append(cause instanceof BackendException ? "" : ": ").append(message);
            }
        }
        return out.toString();
    }

    static Map<String, Object> summary(CircuitBreaker breaker) {
        CircuitBreaker.Stats stats = breaker.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", breaker.name());
        out.put("state", stats.state().name());
        out.put("health_score", stats.healthScore());
        out.put("total_calls", stats.totalCalls());
        out.put("failed_calls", stats.failedCalls());
        out.put("rejected_calls", stats.rejectedCalls());
        out.put("consecutive_failures", stats.consecutiveFailures());
        return out;
    }

    static Map<String, Object> stats(CircuitBreaker breaker) {
        CircuitBreaker.Stats stats = breaker.stats();
        Map<String, Object> out = summary(breaker);
        out.put("successful_calls", stats.successfulCalls());
        out.put("slow_calls", stats.slowCalls());
        out.put("timed_out_calls", stats.timedOutCalls());
        // a percentage; null until the window holds enough calls to be judged
        out.put("failure_rate", stats.failureRatePercent().isPresent() ? stats.failureRatePercent().getAsDouble() : null);
        out.put("time_in_state_ms", stats.timeInState().toMillis());
        out.put("recovery_timeout_ms", stats.recoveryTimeout().toMillis());
        List<Map<String, Object>> transitions = new ArrayList<>();
        for (CircuitBreaker.Event.StateTransition t : stats.history()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("at", Instant.ofEpochMilli(t.wallMillis()).toString());
            one.put("from", t.from().name());
            one.put("to", t.to().name());
            one.put("reason", t.reason().label());
            transitions.add(one);
        }
        out.put("transitions", transitions);
        return out;
    }

    /** A 4xx/5xx answer: {@code {"error": message, "field": field}}. */
    static void error(Context ctx, int status, String field, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", message);
        out.put("field", field);
        json(ctx, status, out);
    }

    static void json(Context ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (Exception unserializable) {
            throw new IllegalStateException(unserializable);
        }
        json(ctx, status, bytes);
    }

    /** Answers {@code body}, JSON already. */
    static void json(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType("application/json").result(body);
    }
}
