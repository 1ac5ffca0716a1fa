package dev.bulwark;

/**
 * A call that returns a value and may throw a checked exception. Bulwark passes such exceptions
 * through unwrapped.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface CheckedSupplier<T> extends ContextualSupplier<T> {

    /** Performs the call. */
    T get() throws Exception;

    /** Performs the call; the context is not needed. */
    @Override
    default T get(ExecutionContext context) throws Exception {
        return get();
    }
}
