package dev.bulwark.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import dev.bulwark.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deferred queue and its drainer follow core's builder template: a validating config record with a nested
 * builder, {@code toBuilder()}, {@code X.of(config)}; a setting given twice fails naming it.
 */
class QueueBuildersTest {
    private final ManualClock clock = new ManualClock();

    @TempDir
    Path dir;

    private static void failsAsGivenTwice(ThrowingCallable call, String component, String setting) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.field()).isEqualTo(setting);
            assertThat(e.value()).isEqualTo("given twice");
            assertThat(e).hasMessageStartingWith(component + ": " + setting);
        });
    }

    @Test
    void aSettingGivenTwiceFailsNamingIt() {
        failsAsGivenTwice(() -> DeferredQueue.<String>builder("q").capacity(1).capacity(2), "deferred queue 'q'",
                "capacity");
        failsAsGivenTwice(() -> DeferredQueue.<String>builder("q").journal(dir.resolve("a"), DeferredQueue.Codec.utf8())
                .journal(dir.resolve("b"), DeferredQueue.Codec.utf8()), "deferred queue 'q'", "journal");
        DeferredQueue<String> queue = DeferredQueue.inMemory("q", 1);
        failsAsGivenTwice(() -> QueueDrainer.builder(queue, item -> { }).interval(Duration.ofSeconds(1))
                .interval(Duration.ofSeconds(2)), "queue drainer", "interval");
    }

    @Test
    void aQueueWithAJournalIsDurableAndOneWithoutIsInMemory() {
        DeferredQueue.Config<String> durable = DeferredQueue.<String>builder("q")
                .journal(dir.resolve("q.journal"), DeferredQueue.Codec.utf8()).capacity(5).buildConfig();
        try (DeferredQueue<String> queue = DeferredQueue.of(durable)) {
            queue.offer("kept");
        }
        try (DeferredQueue<String> reopened = DeferredQueue.of(durable.toBuilder().capacity(6).buildConfig())) {
            assertThat(reopened.peek(10)).extracting(DeferredQueue.Ticketed::item).containsExactly("kept");
            assertThat(reopened.recovery().clean()).isTrue();
        }
        try (DeferredQueue<String> memory = DeferredQueue.<String>builder("m").capacity(1).build()) {
            memory.offer("one");
            assertThatThrownBy(() -> memory.offer("two")).isInstanceOf(QueueFullException.class);
            assertThat(memory.recovery()).isEqualTo(DeferredQueue.Recovery.CLEAN);
        }
    }

    @Test
    void aQueueConfigRoundTripsThroughToBuilderAndIsCheckedAtBuild() {
        DeferredQueue.Config<String> config = DeferredQueue.<String>builder("q").capacity(3).compactAfter(7).buildConfig();
        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);

        assertThatThrownBy(() -> DeferredQueue.<String>builder("q").capacity(0).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("capacity");
                    assertThat(e.value()).isEqualTo("0");
                });
        assertThatThrownBy(() -> new DeferredQueue.Config<>("q", 1, null, DeferredQueue.Codec.utf8(), 1))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo("codec"));
    }

    @Test
    void aDrainerWithTheDefaultsTriesEachItemOncePerTickAndItsConfigRoundTrips() {
        DeferredQueue<String> queue = DeferredQueue.inMemory("q", 10);
        queue.offer("a");
        queue.offer("b");
        List<String> handled = new ArrayList<>();
        QueueDrainer.Config<String> config = QueueDrainer.builder(queue, handled::add).scheduler(clock).buildConfig();
        assertThat(config.toBuilder().buildConfig()).isEqualTo(config);
        QueueDrainer<String> drainer = QueueDrainer.of(config);
        drainer.start();

        clock.advance(Duration.ofSeconds(29));
        assertThat(handled).as("before the default 30 s tick").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        drainer.stop();

        assertThat(handled).containsExactly("a", "b");
        assertThat(queue.size()).isZero();
        assertThat(drainer.processed()).isEqualTo(2);
    }
}
