package dev.bulwark.event;

/**
 * A named part of a running system (a circuit breaker, a retry, a health monitor, ...) that a
 * {@link Registry} can hold. Names are unique per kind, not across kinds: a circuit breaker and a retry
 * may both be called {@code payments}.
 */
public interface Component {

    /** The component's name, unique within its kind. */
    String name();

    /** The public type that identifies the kind, such as {@code CircuitBreaker.class}. */
    Class<? extends Component> kind();
}
