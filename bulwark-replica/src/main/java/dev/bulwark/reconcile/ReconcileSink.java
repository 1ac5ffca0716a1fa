package dev.bulwark.reconcile;

/**
 * Where reconciled data goes. Points of one series arrive in timestamp order. Called on the thread that
 * submitted or flushed; implementations should be quick.
 */
public interface ReconcileSink {

    /** A reconciled point. */
    void accept(Point point);

    /** A gap was found (filled or not); unfillable gaps need a person. */
    default void gap(Gap gap) {
    }

    /** A reading failed validation: it is reported here, never silently dropped. */
    default void rejected(Reading reading, String reason) {
    }
}
