package dev.bulwark.server;

import dev.bulwark.yaml.GatewayConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Javalin's own refusals as the gateway's JSON: 413 names {@code server.max_request_bytes}; 405 lists the methods
 * the path takes, in {@code Allow} and in the message; the rest keep their status and message.
 */
final class HttpErrors {
    private HttpErrors() {
    }

    static String tooLarge(int maxRequestBytes) {
        return "the request body is larger than server.max_request_bytes (" + maxRequestBytes + " bytes)";
    }

    static void render(HttpResponseException problem, Context ctx, GatewayConfig.Server server) {
        int status = problem.getStatus();
        if (status == 413) {
            Views.error(ctx, 413, "body", tooLarge(server.maxRequestBytes()));
        } else if (status == 405) {
            Set<String> allowed = new LinkedHashSet<>();
            problem.getDetails().forEach((key, value) -> allowed.add(value.toUpperCase(Locale.ROOT)));
            String allow = String.join(", ", allowed);
            ctx.header("Allow", allow);
            Views.error(ctx, 405, "method", ctx.method() + " is not allowed on " + ctx.path() + "; allowed: " + allow);
        } else {
            Views.error(ctx, status, "request", java.util.Objects.requireNonNullElse(problem.getMessage(), "bad request"));
        }
    }
}
