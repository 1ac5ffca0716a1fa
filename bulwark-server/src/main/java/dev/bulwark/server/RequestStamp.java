package dev.bulwark.server;

import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Stamps every request before any route sees it: gives it its id ({@link RequestIds}: the client's
 * {@code X-Request-Id} if safe, else a new one), kept as a request attribute and sent back in that header, and sets
 * {@link ModeRoutes#HEADER} to the gateway's current mode (the routes that act on a mode set it again with the mode
 * they used). A Jetty handler in front of Javalin's context rather than a Javalin before-handler: Javalin matches
 * each before-handler's path and copies its endpoint's metadata on every request, which cost more than the stamping.
 */
final class RequestStamp extends Handler.Wrapper {
    private final Supplier<String> modeName;

    /** A stamp naming the mode {@code modeName} gives; Javalin puts its context inside. */
    RequestStamp(Supplier<String> modeName) {
        this.modeName = modeName;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String id = RequestIds.choose(request.getHeaders().get(RequestIds.HEADER));
        request.setAttribute(RequestIds.ATTRIBUTE, id);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(RequestIds.HEADER, id);
        headers.put(ModeRoutes.HEADER, modeName.get());
        return super.handle(request, response, callback);
    }
}
