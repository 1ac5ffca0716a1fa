package dev.bulwark.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.fanout.FanOut.Strategy;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@code /query} body into a {@link QueryRequest}, or refuses it with a {@link ClientError} naming the field:
 * 415 for a content type other than JSON in UTF-8 (none at all is read as JSON); 400 for a body that is not valid
 * UTF-8, not one JSON object (trailing content included), has a key twice or a key other than {@code query},
 * {@code strategy} and {@code adapters}, a blank query, an unknown strategy, an adapter list that is empty, longer
 * than the bound, not all strings or names an adapter twice; 404 for an adapter that does not exist.
 * Pure: it depends on its arguments only. This class is thread-safe.
 */
final class QueryRequestParser {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
            .build();
    private static final Set<String> KEYS = Set.of("query", "strategy", "adapters");
    private static final Map<String, Strategy> STRATEGIES = Map.of("all", Strategy.ALL,
            "first_success", Strategy.FIRST_SUCCESS, "best_effort", Strategy.BEST_EFFORT);
    /** Client text echoed in an error is cut here, so an error never grows with the request. */
    private static final int ECHO_LIMIT = 64;

    private final Set<String> knownAdapters;
    private final int maxAdapters;

    /** A parser for a gateway with {@code knownAdapters}, accepting at most {@code maxAdapters} names per query. */
    QueryRequestParser(Set<String> knownAdapters, int maxAdapters) {
        this.knownAdapters = Set.copyOf(knownAdapters);
        this.maxAdapters = maxAdapters;
    }

    /** The request {@code body} describes. @throws ClientError when the client sent something we refuse */
    QueryRequest parse(byte[] body, String contentType) {
        checkContentType(contentType);
        JsonNode root = readJson(decodeUtf8(body));
        if (!root.isObject()) {
            throw new ClientError(400, "body", "the body must be a JSON object, was " + kind(root));
        }
        JsonNode query = root.get("query");
        if (query == null || !query.isTextual() || query.textValue().isBlank()) {
            throw new ClientError(400, "query", "query must be a non-blank string");
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                unknown.add(echo(key));
            }
        });
        if (!unknown.isEmpty()) {
            String field = unknown.get(0).isBlank() ? "body" : unknown.get(0);
            throw new ClientError(400, field, "unknown field(s) " + unknown + "; allowed: query, strategy, adapters");
        }
        return new QueryRequest(query.textValue(), strategy(root.get("strategy")), adapters(root.get("adapters")));
    }

    private static void checkContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String[] parts = contentType.split(";", -1); // -1: ";" alone still has an (empty) media type
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) {
            throw new ClientError(415, "Content-Type", "the body must be application/json, was '" + echo(contentType) + "'");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals).trim();
            String value = equals < 0 ? "" : parameter.substring(equals + 1).trim().replace("\"", "");
            if (name.equalsIgnoreCase("charset") && !value.equalsIgnoreCase("utf-8")) {
                throw new ClientError(415, "Content-Type", "the body must be UTF-8, was charset '" + echo(value) + "'");
            }
        }
    }

    private static String decodeUtf8(byte[] body) {
        if (ascii(body)) {
            return new String(body, StandardCharsets.US_ASCII); // the usual body: no decoder to set up
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            CharBuffer chars = decoder.decode(in);
            return chars.toString();
        } catch (CharacterCodingException malformed) {
            throw new ClientError(400, "body", "the body is not valid UTF-8 (at byte " + in.position() + ")");
        }
    }

    private static boolean ascii(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode readJson(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException malformed) {
            String where = malformed.getLocation() == null ? "" : " at line " + malformed.getLocation().getLineNr()
                    + ", column " + malformed.getLocation().getColumnNr();
            String reason = String.valueOf(malformed.getOriginalMessage()).lines().findFirst().orElse("unreadable");
            throw new ClientError(400, "body", "the body must be one JSON object: " + echo(reason) + where);
        }
        if (root == null || root.isMissingNode()) {
            throw new ClientError(400, "body", "the body must be a JSON object, was empty");
        }
        return root;
    }

    private static @org.jspecify.annotations.Nullable Strategy strategy(@org.jspecify.annotations.Nullable JsonNode node) {
        if (node == null) {
            return null;
        }
        Strategy strategy = node.isTextual() ? STRATEGIES.get(node.textValue().toLowerCase(Locale.ROOT)) : null;
        if (strategy == null) {
            throw new ClientError(400, "strategy", "strategy must be one of all, first_success, best_effort; was "
                    + (node.isTextual() ? "'" + echo(node.textValue()) + "'" : kind(node)));
        }
        return strategy;
    }

    private List<String> adapters(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ClientError(400, "adapters", "adapters must be an array of adapter names, was " + kind(node));
        }
        if (node.isEmpty()) {
            throw new ClientError(400, "adapters", "adapters must name at least one adapter (leave it out to ask all)");
        }
        if (node.size() > maxAdapters) {
            throw new ClientError(400, "adapters", "adapters may name at most " + maxAdapters
                    + " adapters (server.max_adapters_per_query), was " + node.size());
        }
        Set<String> names = new LinkedHashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        int index = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); index++) {
            JsonNode name = it.next();
            if (!name.isTextual()) {
                throw new ClientError(400, "adapters[" + index + "]", "adapter names are strings, was " + kind(name));
            }
            if (!names.add(name.textValue())) {
                repeated.add(echo(name.textValue()));
            }
        }
        if (!repeated.isEmpty()) {
            throw new ClientError(400, "adapters", "each adapter may be named once per query; repeated: " + repeated);
        }
        List<String> unknown = names.stream().filter(name -> !knownAdapters.contains(name)).map(QueryRequestParser::echo)
                .toList();
        if (!unknown.isEmpty()) {
            throw new ClientError(404, "adapters", "unknown adapter(s) " + unknown + "; known: "
                    + knownAdapters.stream().sorted().toList());
        }
        return List.copyOf(names);
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String echo(String text) {
        if (text.length() <= ECHO_LIMIT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(ECHO_LIMIT - 1)) ? ECHO_LIMIT - 1 : ECHO_LIMIT;
        return text.substring(0, end) + "...";
    }
}
