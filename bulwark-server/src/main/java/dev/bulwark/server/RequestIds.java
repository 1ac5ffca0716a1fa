package dev.bulwark.server;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every request's id: the client's {@code X-Request-Id} when it is 1 to 128 characters of letters, digits and
 * {@code . _ : / + = -} (so it is safe in a log line), else a new UUID. It is returned as the {@code X-Request-Id}
 * header of every answer, in the body of {@code /query}, in every log line about the request, and forwarded to
 * the backends.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "bulwark.request-id";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private RequestIds() {
    }

    /** Gives the request its id (the client's, if safe) and puts it on the response. */
    static void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    /** The request's id ({@link #assign} runs before every route). */
    static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
