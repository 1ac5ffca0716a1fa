package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.fanout.FanOut.Strategy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryRequestParserTest {
    private final QueryRequestParser parser = new QueryRequestParser(Set.of("fast", "slow", "broken"), 3);

    private QueryRequest parse(String body, String contentType) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    private ClientError refused(byte[] body, String contentType) {
        return catchThrowableOfType(ClientError.class, () -> parser.parse(body, contentType));
    }

    private ClientError refused(String body) {
        return refused(body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void aValidBodyBecomesARequest() {
        QueryRequest request = parse("{\"query\": \"hi\", \"strategy\": \"first_success\", \"adapters\": [\"slow\", \"fast\"]}",
                "application/json; charset=UTF-8");

        assertThat(request).isEqualTo(new QueryRequest("hi", Strategy.FIRST_SUCCESS, List.of("slow", "fast")));
        assertThat(parse("{\"query\": \"hi\"}", null)).as("no content type is read as JSON")
                .isEqualTo(new QueryRequest("hi", null, List.of()));
    }

    @Test
    void aContentTypeOtherThanJsonInUtf8Is415() {
        ClientError form = refused("{\"query\":\"x\"}".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        ClientError latin = refused("{\"query\":\"x\"}".getBytes(StandardCharsets.UTF_8), "application/json; charset=ISO-8859-1");

        assertThat(form.status()).isEqualTo(415);
        assertThat(form.field()).isEqualTo("Content-Type");
        assertThat(latin.status()).isEqualTo(415);
        assertThat(latin.getMessage()).contains("ISO-8859-1");
        assertThat(refused("{}".getBytes(StandardCharsets.UTF_8), ";").status()).as("found by the fuzzer").isEqualTo(415);
    }

    @Test
    void invalidUtf8TrailingGarbageAndDuplicateKeysAre400() {
        byte[] invalid = {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThat(refused(invalid, "application/json")).satisfies(error -> {
            assertThat(error.status()).isEqualTo(400);
            assertThat(error.getMessage()).isEqualTo("the body is not valid UTF-8 (at byte 10)");
        });
        assertThat(refused("{\"query\": \"x\"} {\"query\": \"y\"}").getMessage()).startsWith("the body must be one JSON object");
        assertThat(refused("{\"query\": \"x\"} garbage").status()).isEqualTo(400);
        assertThat(refused("{\"query\": \"x\", \"query\": \"y\"}").getMessage()).contains("Duplicate field 'query'");
        assertThat(refused("").getMessage()).isEqualTo("the body must be a JSON object, was empty");
        assertThat(refused("[1]").getMessage()).isEqualTo("the body must be a JSON object, was array");
    }

    @Test
    void everyFieldIsCheckedAndNamed() {
        assertThat(refused("{\"query\": \"  \"}").field()).isEqualTo("query");
        assertThat(refused("{\"query\": 7}").field()).isEqualTo("query");
        assertThat(refused("{\"query\": \"x\", \"strategy\": \"fastest\"}").field()).isEqualTo("strategy");
        assertThat(refused("{\"query\": \"x\", \"strategy\": 1}").getMessage()).endsWith("was number");
        assertThat(refused("{\"query\": \"x\", \"adapters\": \"fast\"}").field()).isEqualTo("adapters");
        assertThat(refused("{\"query\": \"x\", \"adapters\": []}").getMessage()).contains("at least one adapter");
        assertThat(refused("{\"query\": \"x\", \"adapters\": [\"fast\", 3]}").field()).isEqualTo("adapters[1]");
        ClientError extra = refused("{\"query\": \"x\", \"timeout\": 5}");
        assertThat(extra.field()).isEqualTo("timeout");
        assertThat(extra.getMessage()).isEqualTo("unknown field(s) [timeout]; allowed: query, strategy, adapters");
        assertThat(refused("{\"query\": \"x\", \"\": 1}").field()).as("found by the fuzzer: never a blank field")
                .isEqualTo("body");
    }

    @Test
    void repeatedAdaptersAreRefusedAndNamed() {
        ClientError repeated = refused("{\"query\": \"x\", \"adapters\": [\"fast\", \"slow\", \"fast\"]}");

        assertThat(repeated.status()).isEqualTo(400);
        assertThat(repeated.getMessage()).isEqualTo("each adapter may be named once per query; repeated: [fast]");
    }

    @Test
    void moreAdaptersThanTheBoundAreRefusedBeforeAnyIsLookedAt() {
        ClientError tooMany = refused("{\"query\": \"x\", \"adapters\": [" + "\"fast\",".repeat(4_999) + "\"fast\"]}");

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.getMessage()).isEqualTo("adapters may name at most 3 adapters (server.max_adapters_per_query), was 5000");
    }

    @Test
    void anUnknownAdapterIs404AndLongClientTextIsCutInErrors() {
        ClientError unknown = refused("{\"query\": \"x\", \"adapters\": [\"" + "n".repeat(500) + "\"]}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.getMessage()).isEqualTo("unknown adapter(s) [" + "n".repeat(64) + "...]; known: [broken, fast, slow]");
    }
}
