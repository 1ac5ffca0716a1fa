package dev.bulwark.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors, those it answers before any route runs (a malformed request line or path: 400; headers over
 * the limit: 431; a URI over the limit: 414), as the same JSON the routes give:
 * {@code {"error": reason, "field": "request", "status": code}}.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    static byte[] body(int status, String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        String why = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        out.put("error", why);
        out.put("field", "request");
        out.put("status", status);
        try {
            return Views.mapper().writeValueAsString(out).getBytes(StandardCharsets.UTF_8);
        } catch (IOException unserializable) {
            throw new IllegalStateException(unserializable);
        }
    }
}
