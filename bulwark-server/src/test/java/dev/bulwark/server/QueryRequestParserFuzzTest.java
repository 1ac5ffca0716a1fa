package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;

/**
 * Whatever bytes and content type arrive, the parser returns a valid request or refuses with a {@link ClientError}:
 * never another exception, never a hang. Runs its seed corpus ({@code QueryRequestParserFuzzTestInputs/}) under
 * {@code mvn verify}; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class QueryRequestParserFuzzTest {
    private static final String[] CONTENT_TYPES = {null, "application/json", "application/json; charset=utf-8",
            "text/plain", "application/json;charset=\"UTF-8\"", "APPLICATION/JSON; Charset=Utf-8; q=1"};
    private static final QueryRequestParser PARSER = new QueryRequestParser(Set.of("fast", "slow", "broken"), 3);

    @FuzzTest(maxDuration = "5m")
    void parsesOrRefusesWithAClientError(FuzzedDataProvider data) {
        String contentType = data.consumeBoolean() ? data.pickValue(CONTENT_TYPES) : data.consumeString(40);
        byte[] body = data.consumeRemainingAsBytes();
        try {
            QueryRequest request = PARSER.parse(body, contentType);
            assertThat(request.query()).isNotBlank();
            assertThat(request.adapters()).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(3)
                    .allSatisfy(name -> assertThat(Set.of("fast", "slow", "broken")).contains(name));
        } catch (ClientError refused) {
            assertThat(refused.status()).isBetween(400, 499);
            assertThat(refused.field()).isNotBlank();
            assertThat(refused.getMessage()).isNotBlank().hasSizeLessThan(2_000);
        }
    }
}
