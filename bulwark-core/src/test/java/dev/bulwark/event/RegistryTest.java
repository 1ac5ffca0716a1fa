package dev.bulwark.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.circuit.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class RegistryTest {

    record Gauge(String name) implements Component {
        @Override
        public Class<? extends Component> kind() {
            return Gauge.class;
        }
    }

    @Test
    void findsComponentsByKindAndName() {
        Registry registry = new Registry();
        CircuitBreaker payments = registry.register(CircuitBreaker.ofDefaults("payments"));
        Gauge samePayments = registry.register(new Gauge("payments"));

        assertThat(registry.find(CircuitBreaker.class, "payments")).containsSame(payments);
        assertThat(registry.find(Gauge.class, "payments")).containsSame(samePayments);
        assertThat(registry.find(CircuitBreaker.class, "orders")).isEmpty();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void listsByTypeSortedByName() {
        Registry registry = new Registry();
        registry.register(CircuitBreaker.ofDefaults("b"));
        registry.register(CircuitBreaker.ofDefaults("a"));
        registry.register(new Gauge("c"));

        assertThat(registry.all(CircuitBreaker.class)).extracting(CircuitBreaker::name).containsExactly("a", "b");
        assertThat(registry.all()).hasSize(3);
    }

    @Test
    void refusesADuplicateNameOfTheSameKind() {
        Registry registry = new Registry();
        registry.register(CircuitBreaker.ofDefaults("payments"));

        assertThatThrownBy(() -> registry.register(CircuitBreaker.ofDefaults("payments")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CircuitBreaker 'payments' is registered already");
    }

    @Test
    void removeAndReplaceNotifyListeners() {
        Registry registry = new Registry();
        List<Registry.Event> seen = new ArrayList<>();
        registry.subscribe(seen::add);
        CircuitBreaker first = registry.register(CircuitBreaker.ofDefaults("payments"));
        CircuitBreaker second = CircuitBreaker.ofDefaults("payments");

        assertThat(registry.replace(second)).containsSame(first);
        assertThat(registry.remove(CircuitBreaker.class, "payments")).containsSame(second);
        assertThat(registry.remove(CircuitBreaker.class, "payments")).isEmpty();

        assertThat(seen).containsExactly(new Registry.Event.Added(first), new Registry.Event.Removed(first),
                new Registry.Event.Added(second), new Registry.Event.Removed(second));
    }

    @Test
    void getNamesWhatIsMissing() {
        assertThatThrownBy(() -> new Registry().get(CircuitBreaker.class, "ghost"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("no CircuitBreaker named 'ghost' is registered");
    }

    @Test
    void aThrowingListenerIsIsolatedAndCounted() {
        Registry registry = new Registry();
        List<Registry.Event> seen = new ArrayList<>();
        registry.subscribe(event -> {
            throw new IllegalStateException("listener bug");
        });
        registry.subscribe(seen::add);

        registry.register(new Gauge("x"));

        assertThat(seen).hasSize(1);
        assertThat(registry.listenerFailures()).isEqualTo(1);
    }

    @Test
    void cancelledSubscriptionStopsDelivery() {
        Registry registry = new Registry();
        List<Registry.Event> seen = new ArrayList<>();
        EventSource.Subscription subscription = registry.subscribe(seen::add);
        registry.register(new Gauge("x"));

        subscription.cancel();
        subscription.cancel();
        registry.register(new Gauge("y"));

        assertThat(seen).hasSize(1);
    }
}
