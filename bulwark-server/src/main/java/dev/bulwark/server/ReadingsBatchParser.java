package dev.bulwark.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.reconcile.Reconciler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the body of {@code POST /series/{name}/readings}: {@code {"source": "primary"|"replica", "readings":
 * [{"timestamp": seconds, "value": number}, ...]}}. A body that is not such an object is refused whole (400, naming
 * the field); a reading that is malformed is kept with its reason, so that the answer reports it by index.
 */
final class ReadingsBatchParser {
    /** Readings accepted in one batch. */
    static final int MAX_READINGS = 10_000;
    private static final Set<String> BATCH_KEYS = Set.of("source", "readings");
    private static final Set<String> READING_KEYS = Set.of("timestamp", "value");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature()).build();

    /** One reading as sent: its timestamp and value, or why it cannot be used. */
    record Incoming(int index, long timestamp, double value, @Nullable String problem) {
    }

    /** A parsed batch. */
    record Batch(Reconciler.Reading.Source source, List<Incoming> readings) {
    }

    private ReadingsBatchParser() {
    }

    static Batch parse(byte[] body, @Nullable String contentType) {
        if (contentType != null && !contentType.isBlank()
                && !contentType.toLowerCase(Locale.ROOT).split(";", -1)[0].trim().equals("application/json")) {
            throw new ClientError(415, "Content-Type", "the body must be application/json");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException malformed) {
            throw new ClientError(400, "body", "the body must be one JSON object: " + malformed.getOriginalMessage());
        } catch (IOException unreadable) {
            throw new ClientError(400, "body", "the body could not be read: " + unreadable.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ClientError(400, "body", "the body must be a JSON object with source and readings");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!BATCH_KEYS.contains(key)) {
                throw new ClientError(400, key, "unknown key '" + key + "'; a batch has source and readings");
            }
        }
        JsonNode sourceNode = root.get("source");
        if (sourceNode == null || !sourceNode.isTextual()) {
            throw new ClientError(400, "source", "source is required: primary or replica");
        }
        Reconciler.Reading.Source source = switch (sourceNode.asText()) {
            case "primary" -> Reconciler.Reading.Source.PRIMARY;
            case "replica" -> Reconciler.Reading.Source.REPLICA;
            default -> throw new ClientError(400, "source", "source must be primary or replica, was '"
                    + echo(sourceNode.asText()) + "'");
        };
        JsonNode readings = root.get("readings");
        if (readings == null || !readings.isArray() || readings.isEmpty()) {
            throw new ClientError(400, "readings", "readings must be a non-empty list of {timestamp, value}");
        }
        if (readings.size() > MAX_READINGS) {
            throw new ClientError(413, "readings", "a batch holds at most " + MAX_READINGS + " readings, this one "
                    + readings.size() + "; send it in several");
        }
        List<Incoming> parsed = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            parsed.add(reading(i, readings.get(i)));
        }
        return new Batch(source, parsed);
    }

    /** Text a client sent, cut to 100 characters, for error messages. */
    static String echo(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    private static Incoming reading(int index, JsonNode node) {
        if (!node.isObject()) {
            return new Incoming(index, 0, 0, "a reading must be an object {timestamp, value}");
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!READING_KEYS.contains(key)) {
                return new Incoming(index, 0, 0, "unknown key '" + echo(key) + "'; a reading has timestamp and value");
            }
        }
        JsonNode timestamp = node.get("timestamp");
        if (timestamp == null) {
            return new Incoming(index, 0, 0, "missing field: timestamp");
        }
        if (!timestamp.isIntegralNumber() || !timestamp.canConvertToLong() || timestamp.asLong() < 0) {
            return new Incoming(index, 0, 0, "timestamp must be whole seconds since the epoch, >= 0, was " + timestamp);
        }
        JsonNode value = node.get("value");
        if (value == null) {
            return new Incoming(index, timestamp.asLong(), 0, "missing field: value");
        }
        if (!value.isNumber()) {
            return new Incoming(index, timestamp.asLong(), 0, "value must be a number, was " + value);
        }
        return new Incoming(index, timestamp.asLong(), value.asDouble(), null);
    }
}
