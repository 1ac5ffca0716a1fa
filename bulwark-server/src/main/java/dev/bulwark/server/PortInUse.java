package dev.bulwark.server;

/** Turns a failure to listen into a message naming the address and the setting that changes it. */
final class PortInUse {
    private PortInUse() {
    }

    /** {@code failure} explained when a port was taken, else as it is. */
    static RuntimeException explain(RuntimeException failure, String host, int port, String setting) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException || String.valueOf(cause.getMessage()).contains("already in use")) {
                return new IllegalStateException("cannot listen on " + host + ":" + port + " (the port is in use); set "
                        + setting + " to a free port", failure);
            }
        }
        return failure;
    }
}
