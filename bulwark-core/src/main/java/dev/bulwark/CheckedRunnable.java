package dev.bulwark;

/** A call without a result that may throw a checked exception, passed through unwrapped. */
@FunctionalInterface
public interface CheckedRunnable extends ContextualSupplier<Void> {

    /** Performs the call. */
    void run() throws Exception;

    /** Performs the call and returns {@code null}. */
    @Override
    default Void get(ExecutionContext context) throws Exception {
        run();
        return null;
    }
}
