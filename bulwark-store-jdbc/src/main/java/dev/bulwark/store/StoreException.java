package dev.bulwark.store;

/** The database could not be reached or refused an operation; the message says which and why. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    StoreException(String message) {
        super(message);
    }
}
