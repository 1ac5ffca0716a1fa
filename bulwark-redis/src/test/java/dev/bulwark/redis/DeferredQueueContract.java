package dev.bulwark.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.queue.QueueFullException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeferredQueue} does, run against the local queue and the Redis stream queue alike (the same cases
 * as bulwark-queue's own tests of the in-memory queue).
 */
abstract class DeferredQueueContract {

    /** A new, empty queue. */
    abstract DeferredQueue<String> newQueue(String name, int capacity);

    static List<String> items(DeferredQueue<String> queue) {
        return queue.peek(Integer.MAX_VALUE).stream().map(DeferredQueue.Ticketed::item).toList();
    }

    @Test
    void isBoundedAndDrainsInOrderStoppingAtAFailure() {
        DeferredQueue<String> queue = newQueue("llm", 3);
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");
        assertThatThrownBy(() -> queue.offer("d")).isInstanceOf(QueueFullException.class)
                .hasMessage("deferred queue 'llm' is full (3 items)");

        List<String> handled = new ArrayList<>();
        int processed = queue.drain(item -> {
            if (item.equals("b")) {
                throw new IOException("still down");
            }
            handled.add(item);
        });

        assertThat(processed).isEqualTo(1);
        assertThat(handled).containsExactly("a");
        assertThat(items(queue)).containsExactly("b", "c");
        assertThat(queue.size()).isEqualTo(2);
        queue.offer("d");
        assertThat(items(queue)).as("an acknowledged item frees its room").containsExactly("b", "c", "d");
    }

    @Test
    void peekingRemovesNothingAndTicketsIncrease() {
        DeferredQueue<String> queue = newQueue("later", 10);
        long first = queue.offer("one");
        long second = queue.offer("two");

        assertThat(second).isGreaterThan(first);
        assertThat(queue.peek(1)).singleElement().isEqualTo(new DeferredQueue.Ticketed<>(first, "one"));
        assertThat(items(queue)).containsExactly("one", "two");
        assertThat(queue.oldestTicket()).contains(first);
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void acknowledgingTwiceOrAnUnknownTicketDoesNothing() {
        DeferredQueue<String> queue = newQueue("later", 10);
        long first = queue.offer("one");
        queue.offer("two");
        queue.peek(10);

        queue.ack(first);
        queue.ack(first);
        queue.ack(first + 1_000);

        assertThat(items(queue)).containsExactly("two");
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.drain(item -> { })).isEqualTo(1);
        assertThat(queue.size()).isZero();
        assertThat(queue.peek(5)).isEmpty();
    }
}
