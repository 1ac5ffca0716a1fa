package dev.bulwark.server;

import java.util.Objects;

/**
 * A request the gateway refuses because of what the client sent: the HTTP status (4xx), the field at fault and a
 * message saying what is allowed. Rendered as {@code {"error": message, "field": field}}. Cheap: no stack trace.
 */
final class ClientError extends RuntimeException {
    private final int status;
    private final String field;

    ClientError(int status, String field, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("a client error is a 4xx status, was " + status);
        }
        this.status = status;
        this.field = Objects.requireNonNull(field, "field");
    }

    /** What is allowed, as given when the error was made: never null. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
