package dev.bulwark.server.events;

import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.health.HealthStatus;
import dev.bulwark.mode.Mode;
import dev.bulwark.mode.ModeChange;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Something that happened in the gateway, as the event handlers receive it. {@link #toJson()} is the form the
 * {@code default} and {@code monitoring} handlers write: {@code {"type": ..., "at": "<ISO-8601>", ...fields}}.
 */
public sealed interface GatewayEvent {

    /** The event's type as written in JSON, e.g. {@code circuit_open} or {@code mode_change}. */
    String type();

    /** When it happened, in epoch milliseconds. */
    long wallMillis();

    /** The event's own fields, in a fixed order, as JSON values. */
    Map<String, Object> fields();

    /** The JSON object: {@code type}, {@code at}, then {@link #fields()}. */
    default Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", type());
        out.put("at", Instant.ofEpochMilli(wallMillis()).toString());
        out.putAll(fields());
        return out;
    }

    /**
     * An adapter's circuit changed state, with the structured fields of a transition log line: {@code endpoint},
     * {@code state_transition} ({@code "CLOSED -> OPEN"}), {@code reason}, {@code fail_count}, {@code success_rate}
     * (percent) and {@code latency_ms} (when known). The type is {@code circuit_open}, {@code circuit_half_open},
     * {@code circuit_close}, {@code circuit_reset} (closed by an operator) or {@code circuit_<state>} for the others.
     */
    record CircuitTransition(String adapter, CircuitBreaker.State from, CircuitBreaker.State to,
                             CircuitBreaker.TransitionReason reason, int failCount, double successRatePercent,
                             OptionalDouble latencyMillis, long wallMillis) implements GatewayEvent {
        /** Requires every field. */
        public CircuitTransition {
            Objects.requireNonNull(adapter, "adapter");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(latencyMillis, "latencyMillis");
        }

        /** The event of a breaker's transition. */
        public static CircuitTransition of(CircuitBreaker.Event.StateTransition transition) {
            return new CircuitTransition(transition.name(), transition.from(), transition.to(), transition.reason(),
                    transition.consecutiveFailures(), transition.successRatePercent(), transition.meanLatencyMillis(),
                    transition.wallMillis());
        }

        @Override
        public String type() {
            return switch (to) {
                case OPEN -> "circuit_open";
                case HALF_OPEN -> "circuit_half_open";
                case CLOSED -> reason == CircuitBreaker.TransitionReason.MANUAL_RESET ? "circuit_reset" : "circuit_close";
                default -> "circuit_" + to.name().toLowerCase(Locale.ROOT);
            };
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("endpoint", adapter);
            out.put("state_transition", from + " -> " + to);
            out.put("reason", reason.label());
            out.put("fail_count", failCount);
            out.put("success_rate", Math.round(successRatePercent * 100) / 100.0);
            if (latencyMillis.isPresent()) {
                out.put("latency_ms", Math.round(latencyMillis.getAsDouble() * 10) / 10.0);
            }
            return out;
        }
    }

    /** The gateway's mode changed ({@code mode_change}): from, to, trigger, reason and the metrics at that moment. */
    record ModeChanged(ModeChange change) implements GatewayEvent {
        /** Requires the change. */
        public ModeChanged {
            Objects.requireNonNull(change, "change");
        }

        @Override
        public String type() {
            return "mode_change";
        }

        @Override
        public long wallMillis() {
            return change.wallMillis();
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("from", change.from().name());
            out.put("to", change.to().name());
            out.put("trigger", change.trigger().name());
            out.put("reason", change.reason());
            out.put("snapshot", new java.util.TreeMap<>(change.snapshot()));
            return out;
        }
    }

    /**
     * A query no adapter answered, or that its mode kept from the adapters ({@code fallback}): what served it
     * ({@code cache}, or {@code none} when nothing could), the mode, and the adapters that failed.
     */
    record FallbackOutcome(String requestId, Mode mode, String servedBy, List<String> failedAdapters, long wallMillis)
            implements GatewayEvent {
        /** Copies the list. */
        public FallbackOutcome {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(servedBy, "servedBy");
            failedAdapters = List.copyOf(failedAdapters);
        }

        @Override
        public String type() {
            return "fallback";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("request_id", requestId);
            out.put("mode", mode.name());
            out.put("served_by", servedBy);
            out.put("failed_adapters", failedAdapters);
            return out;
        }
    }

    /**
     * A health check's status changed ({@code health_change}); {@code check} is {@code aggregate} for the
     * monitor's overall status.
     */
    record HealthChanged(String check, HealthStatus from, HealthStatus to, String message, long wallMillis)
            implements GatewayEvent {
        /** Requires every field. */
        public HealthChanged {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "health_change";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("check", check);
            out.put("from", from.name());
            out.put("to", to.name());
            out.put("message", message);
            return out;
        }
    }

    /** The configuration file was reloaded ({@code reload}): {@code applied}, or {@code refused} with the error. */
    record Reloaded(String file, boolean applied, String error, long wallMillis) implements GatewayEvent {
        /** Requires every field; {@code error} is empty when applied. */
        public Reloaded {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public String type() {
            return "reload";
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", file);
            out.put("result", applied ? "applied" : "refused");
            if (!applied) {
                out.put("error", error);
            }
            return out;
        }
    }

    /**
     * Something a failover group did, with its {@code group}, {@code from} (the backend serving before), {@code to}
     * (the backend serving after, or the standby concerned), {@code reason} and {@code duration_ms}: type
     * {@code failover_switch} (traffic moved; {@code kind} {@code promotion}, {@code emergency_recovery} or
     * {@code manual_switch}; the duration is the switch's), {@code failover_failed} (no backend could take over; from
     * and to are the one still serving; duration 0), {@code failover_standby_ready} (a standby passed its health check;
     * the duration is its warm-up) or {@code failover_signal} (a rebalance or termination signal arrived, from the
     * admin endpoint or the gateway's own loss detection; duration 0). {@code kind} is empty for all but switches.
     */
    record Failover(String type, String group, String kind, String from, String to, String reason, long durationMillis,
                    long wallMillis) implements GatewayEvent {
        /** The types a failover event has. */
        public static final java.util.Set<String> TYPES = java.util.Set.of("failover_switch", "failover_failed",
                "failover_standby_ready", "failover_signal");

        /** Requires every field, a type among {@link #TYPES} and a duration of at least 0. */
        public Failover {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("type must be one of " + new java.util.TreeSet<>(TYPES) + ", was " + type);
            }
            if (durationMillis < 0) {
                throw new IllegalArgumentException("durationMillis must be at least 0, was " + durationMillis);
            }
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("group", group);
            if (!kind.isEmpty()) {
                out.put("kind", kind);
            }
            out.put("from", from);
            out.put("to", to);
            out.put("reason", reason);
            out.put("duration_ms", durationMillis);
            return out;
        }
    }
}
