package example;

import dev.bulwark.circuit.CircuitOpenException;
import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Fallback;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.annotation.Timeout;
import org.springframework.stereotype.Service;

/**
 * The quote feed behind one pipeline: fallback, circuit breaker, retry, timeout (outermost first), each configured
 * under {@code bulwark.instances.quotes} in application.yml.
 */
@Service
public class QuoteService {
    private final QuoteFeed feed;

    public QuoteService(QuoteFeed feed) {
        this.feed = feed;
    }

    @Fallback("lastKnown")
    @CircuitBreaker("quotes")
    @Retry("quotes")
    @Timeout("quotes")
    public String quote(String symbol) {
        return symbol + " " + feed.price(symbol);
    }

    /** Answers while the circuit is open; other failures pass through after the retries. */
    private String lastKnown(String symbol, CircuitOpenException refused) {
        return symbol + " 100.0 (last known)";
    }
}
