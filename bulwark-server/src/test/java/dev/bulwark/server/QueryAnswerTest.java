package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.circuit.CircuitBreaker;
import dev.bulwark.fanout.FanOut.Strategy;
import dev.bulwark.fanout.FanOutResult;
import dev.bulwark.fanout.FanOutResult.AdapterResult;
import dev.bulwark.fanout.FanOutResult.AdapterResult.Status;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QueryAnswerTest {

    @Test
    void everyAdapterAnsweredGivesTheFieldsInTheirDocumentedOrderAndNothingElse() throws Exception {
        ServedBy servedBy = new ServedBy();
        servedBy.record("a", "primary");
        FanOutResult<String> result = new FanOutResult<>(Strategy.ALL, List.of(
                new AdapterResult<>("a", Status.SUCCEEDED, "answer \"one\"", null, Duration.ofMillis(12),
                        CircuitBreaker.State.CLOSED),
                new AdapterResult<>("b", Status.SUCCEEDED, "two", null, Duration.ofMillis(7), null)),
                Duration.ofMillis(15));

        JsonNode answer = parse(QueryAnswer.json(result, new QueryAnswer.Parts("rid-1", "NORMAL", Map.of(), List.of(),
                "none", Optional.empty(), Map.of(), servedBy, Map.of())));

        assertThat(fieldNames(answer)).containsExactly("request_id", "strategy", "duration_ms", "results", "partial",
                "adapters", "mode", "fallback");
        assertThat(answer.get("request_id").asText()).isEqualTo("rid-1");
        assertThat(answer.get("strategy").asText()).isEqualTo("all");
        assertThat(answer.get("duration_ms").asLong()).isEqualTo(15);
        assertThat(answer.get("results")).extracting(JsonNode::asText).containsExactly("answer \"one\"", "two");
        assertThat(answer.get("partial").asBoolean()).isFalse();
        JsonNode first = answer.get("adapters").get(0);
        assertThat(fieldNames(first)).containsExactly("name", "status", "value", "served_by", "error", "duration_ms",
                "circuit_state");
        assertThat(first.get("status").asText()).isEqualTo("succeeded");
        assertThat(first.get("served_by").asText()).isEqualTo("primary");
        assertThat(first.get("error").isNull()).isTrue();
        assertThat(first.get("duration_ms").asLong()).isEqualTo(12);
        assertThat(first.get("circuit_state").asText()).isEqualTo("CLOSED");
        JsonNode second = answer.get("adapters").get(1);
        assertThat(second.get("served_by").asText()).as("no path recorded: the cache served it").isEqualTo("cache");
        assertThat(second.get("circuit_state").isNull()).isTrue();
        assertThat(answer.get("mode").asText()).isEqualTo("NORMAL");
        assertThat(answer.get("fallback").asText()).isEqualTo("none");
    }

    @Test
    void aCachedAnswerReplacesTheResultsAndTheOptionalFieldsFollowTheFallbackInOrder() throws Exception {
        FanOutResult<String> result = new FanOutResult<>(Strategy.FIRST_SUCCESS, List.of(
                new AdapterResult<>("a", Status.FAILED, null, new ConnectException("Connection refused"),
                        Duration.ofMillis(3), CircuitBreaker.State.OPEN)), Duration.ofMillis(4));
        Map<String, Object> actions = new LinkedHashMap<>();
        actions.put("strategy", "first_success");
        actions.put("hedging", false);
        Map<String, String> tickets = new LinkedHashMap<>();
        tickets.put("z", "t-z");
        tickets.put("b", "t-b");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("quota", Map.of("key", "acme"));
        extra.put("quota_steering", "queue_for_later");

        JsonNode answer = parse(QueryAnswer.json(result, new QueryAnswer.Parts("rid-2", "DEGRADED", actions,
                List.of("a"), "cache", Optional.of(List.of("cached answer")), tickets, new ServedBy(), extra)));

        assertThat(fieldNames(answer)).containsExactly("request_id", "strategy", "duration_ms", "results", "partial",
                "adapters", "mode", "mode_actions", "shed", "fallback", "ticket", "tickets", "quota", "quota_steering");
        assertThat(answer.get("strategy").asText()).isEqualTo("first_success");
        assertThat(answer.get("results")).extracting(JsonNode::asText).containsExactly("cached answer");
        assertThat(answer.get("partial").asBoolean()).isTrue();
        JsonNode failed = answer.get("adapters").get(0);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("value").isNull()).isTrue();
        assertThat(failed.get("served_by").isNull()).as("only an adapter that answered was served").isTrue();
        assertThat(failed.get("error").asText()).isEqualTo("ConnectException: Connection refused");
        assertThat(answer.get("mode_actions").get("hedging").asBoolean()).isFalse();
        assertThat(answer.get("shed")).extracting(JsonNode::asText).containsExactly("a");
        assertThat(answer.get("ticket").asText()).as("the first adapter's in name order").isEqualTo("t-b");
        assertThat(fieldNames(answer.get("tickets"))).containsExactly("b", "z");
        assertThat(answer.get("quota").get("key").asText()).isEqualTo("acme");
        assertThat(answer.get("quota_steering").asText()).isEqualTo("queue_for_later");
    }

    private static JsonNode parse(byte[] json) throws Exception {
        return Views.mapper().readTree(json);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
