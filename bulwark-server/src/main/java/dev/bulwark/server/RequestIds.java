package dev.bulwark.server;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every request's id: the client's {@code X-Request-Id} when it is 1 to 128 characters of letters, digits and
 * {@code . _ : / + = -} (so it is safe in a log line), else a new random (version 4) UUID. Its bits come from
 * {@link ThreadLocalRandom}, not {@link UUID#randomUUID()}: an id names a request, it guards nothing, and every
 * request taking the one {@code SecureRandom}'s lock made the query threads queue on it. It is returned as the {@code X-Request-Id}
 * header of every answer, in the body of {@code /query}, in every log line about the request, and forwarded to
 * the backends.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = "bulwark.request-id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private RequestIds() {
    }

    /** The id of a request whose {@link #HEADER} is {@code given} (null when absent): it, if safe, else a new one. */
    static String choose(@org.jspecify.annotations.Nullable String given) {
        return given != null && SAFE.matcher(given).matches() ? given : newId();
    }

    /** A random version 4 UUID as text. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L).toString();
    }

    /** The request's id ({@link RequestStamp} gives every request one before any route). */
    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
