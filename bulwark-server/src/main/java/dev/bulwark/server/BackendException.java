package dev.bulwark.server;

import java.io.IOException;

/**
 * A backend call that failed, saying which adapter, which request and why: {@code "GET http://.../broken: HTTP 500:
 * broken failed"} or {@code "GET http://.../x: ConnectException <- ClosedChannelException"}.
 */
final class BackendException extends IOException {
    BackendException(String message, Throwable cause) {
        super(message, cause);
    }

    BackendException(String message) {
        super(message);
    }
}
