package dev.bulwark.event;

/** A registered listener; {@link #cancel()} removes it. Cancelling twice does nothing. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    /** Removes the listener. */
    void cancel();

    /** Same as {@link #cancel()}, for try-with-resources. */
    @Override
    default void close() {
        cancel();
    }
}
