package dev.bulwark;

/**
 * A call that reads its {@link ExecutionContext}: which attempt this is, the deadline, the values
 * the caller attached under {@link ExecutionContext.Key}s.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface ContextualSupplier<T> {

    /** Performs the call for the given context. */
    T get(ExecutionContext context) throws Exception;
}
