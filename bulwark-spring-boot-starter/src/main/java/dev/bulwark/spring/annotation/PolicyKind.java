package dev.bulwark.spring.annotation;

import java.util.List;
import java.util.Locale;

/** The kinds of policy a method's pipeline can hold; each has one annotation and one configuration name. */
public enum PolicyKind {
    /** {@link Fallback}. */
    FALLBACK,
    /** {@link RateLimiter}, configured under {@code rate_limit}. */
    RATE_LIMITER,
    /** {@link Bulkhead}. */
    BULKHEAD,
    /** {@link CircuitBreaker}. */
    CIRCUIT_BREAKER,
    /** {@link Retry}. */
    RETRY,
    /** {@link Hedge}. */
    HEDGE,
    /** {@link Timeout}. */
    TIMEOUT;

    /**
     * The default order, outermost first: fallback, rate limiter, bulkhead, circuit breaker, retry, hedge, timeout.
     * The breaker sits outside the retry, so it judges each call once whatever the number of attempts; each attempt
     * (and each hedge) has its own timeout; the bulkhead and the rate limiter count calls, not attempts.
     */
    public static final List<PolicyKind> DEFAULT_ORDER = List.of(values());

    /** The configuration spelling: {@code circuit_breaker}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind spelled {@code name} in configuration ({@code circuit_breaker}, {@code circuit-breaker} or the
     * constant's name).
     *
     * @throws IllegalArgumentException naming the allowed spellings
     */
    public static PolicyKind parse(String name) {
        String normal = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (PolicyKind kind : values()) {
            if (kind.name().equals(normal)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a policy kind; allowed: fallback, rate_limiter, "
                + "bulkhead, circuit_breaker, retry, hedge, timeout");
    }
}
