package dev.bulwark.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.bulwark.fanout.FanOutResult;
import dev.bulwark.fanout.FanOutResult.AdapterResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON answer to a query that reached the fan-out, written field by field as the client reads it:
 * {@code request_id}, {@code strategy}, {@code duration_ms}, {@code results} (the cache's when it answered instead),
 * {@code partial}, {@code adapters} (each with {@code name}, {@code status}, {@code value}, {@code served_by},
 * {@code error}, {@code duration_ms}, {@code circuit_state}), {@code mode}, then, when there are any,
 * {@code mode_actions} and {@code shed}, then {@code fallback}, the first {@code ticket} and all {@code tickets}, and
 * the extra fields (quota) in their order. No map is built on the way: the answer is on every query's path.
 */
final class QueryAnswer {
    private static final int EXPECTED_BYTES = 1024;

    private QueryAnswer() {
    }

    /** What the fan-out left besides its result: what the route decided on the way. */
    record Parts(String requestId, String mode, Map<String, Object> modeActions, List<String> shed, String fallback,
                   Optional<List<String>> cached, Map<String, String> tickets, ServedBy servedBy,
                   Map<String, Object> extra) {
    }

    static byte[] json(FanOutResult<String> result, Parts context) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(EXPECTED_BYTES);
        try (JsonGenerator json = Views.mapper().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("request_id", context.requestId());
            json.writeStringField("strategy", Views.label(result.strategy()));
            json.writeNumberField("duration_ms", result.duration().toMillis());
            json.writeFieldName("results");
            strings(json, context.cached().orElseGet(result::values));
            json.writeBooleanField("partial", QueryStatus.partial(result));
            json.writeArrayFieldStart("adapters");
            for (AdapterResult<String> adapter : result.results()) {
                adapter(json, adapter, context.servedBy());
            }
            json.writeEndArray();
            json.writeStringField("mode", context.mode());
            if (!context.modeActions().isEmpty()) {
                json.writeObjectField("mode_actions", context.modeActions());
            }
            if (!context.shed().isEmpty()) {
                json.writeFieldName("shed");
                strings(json, context.shed());
            }
            json.writeStringField("fallback", context.fallback());
            if (!context.tickets().isEmpty()) {
                json.writeStringField("ticket", DeferredQueries.Tickets.first(context.tickets()));
                json.writeObjectField("tickets", new TreeMap<>(context.tickets()));
            }
            for (Map.Entry<String, Object> field : context.extra().entrySet()) {
                json.writeObjectField(field.getKey(), field.getValue());
            }
            json.writeEndObject();
        } catch (IOException unwritable) {
            throw new UncheckedIOException(unwritable);
        }
        return bytes.toByteArray();
    }

    private static void adapter(JsonGenerator json, AdapterResult<String> adapter, ServedBy servedBy)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("name", adapter.name());
        json.writeStringField("status", Views.label(adapter.status()));
        json.writeStringField("value", adapter.value());
        json.writeStringField("served_by", adapter.succeeded() ? servedBy.of(adapter.name()) : null);
        json.writeStringField("error", adapter.error() == null ? null : Views.describe(adapter.error()));
        json.writeNumberField("duration_ms", adapter.duration().toMillis());
        json.writeStringField("circuit_state", adapter.circuitState() == null ? null : adapter.circuitState().name());
        json.writeEndObject();
    }

    private static void strings(JsonGenerator json, List<String> values) throws IOException {
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
