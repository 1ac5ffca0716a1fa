package dev.bulwark.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the shared Redis answers: a {@code redis://host:port[/database]} (or {@code rediss://} for TLS) URL, validated
 * when it is created so a typo fails at load time rather than on the first background exchange.
 *
 * @param url the URL as given; the scheme is {@code redis} or {@code rediss}, the host is required, the port defaults
 *     to 6379
 */
public record RedisEndpoint(String url) {

    /** Redis's default port, used when the URL names none. */
    public static final int DEFAULT_PORT = 6379;

    public RedisEndpoint {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(url, "it is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw invalid(url, "the scheme must be redis or rediss");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid(url, "it names no host");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65_535)) {
            throw invalid(url, "the port must be in [1, 65535]");
        }
    }

    /** Parses {@code url}; the same as the constructor. */
    public static RedisEndpoint of(String url) {
        return new RedisEndpoint(url);
    }

    /** The host the URL names. */
    public String host() {
        return URI.create(url).getHost();
    }

    /** The port the URL names, or {@value #DEFAULT_PORT}. */
    public int port() {
        int port = URI.create(url).getPort();
        return port == -1 ? DEFAULT_PORT : port;
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException("redis url: '" + url + "' is invalid: " + why
                + " (expected redis://host[:port][/database] or rediss://...)");
    }
}
