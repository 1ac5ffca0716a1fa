package dev.bulwark.redis;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.queue.DeferredQueue;
import dev.bulwark.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several instances (one link each) sharing one stream; Redis killed and restarted under them. */
class RedisStreamQueueClusterTest {

    private static RedisStreamDeferredQueue<String> instance(RedisLink link, String consumer, Duration claimIdle,
                                                             ManualClock clock) {
        return RedisStreamDeferredQueue.builder("shared", DeferredQueue.Codec.utf8()).consumer(consumer)
                .claimIdle(claimIdle).resyncInterval(Duration.ofSeconds(1)).clockAndScheduler(clock).build(link);
    }

    @Test
    void whatOneInstanceQueuesAnotherDrainsAndADeadConsumersItemIsClaimedWhenIdle() throws Exception {
        ManualClock clock = new ManualClock();
        try (RedisServer redis = RedisServer.start();
             RedisLink linkA = RedisLink.connect(RedisEndpoint.of(redis.url()));
             RedisLink linkB = RedisLink.connect(RedisEndpoint.of(redis.url()));
             RedisLink linkC = RedisLink.connect(RedisEndpoint.of(redis.url()))) {
            RedisStreamDeferredQueue<String> a = instance(linkA, "a", Duration.ofHours(1), clock);
            RedisStreamDeferredQueue<String> patient = instance(linkB, "b", Duration.ofHours(1), clock);
            RedisStreamDeferredQueue<String> reaper = instance(linkC, "c", Duration.ZERO, clock);

            a.offer("one");
            a.offer("two");
            a.offer("three");
            List<String> drainedByB = new ArrayList<>();
            assertThat(patient.drain(item -> {
                if (item.equals("two")) {
                    throw new IllegalStateException("not yet");
                }
                drainedByB.add(item);
            })).isEqualTo(1);
            assertThat(drainedByB).as("B drains what A queued").containsExactly("one");

            // B now holds "two" unacknowledged and dies; A, patient for an hour, leaves it alone
            patient.close();
            assertThat(DeferredQueueContract.items(a)).as("A sees only what no live consumer holds")
                    .containsExactly("three");
            // C takes over every item idle longer than its claimIdle (zero here): B's "two" and A's "three"
            List<String> drainedByC = new ArrayList<>();
            assertThat(reaper.drain(drainedByC::add)).isEqualTo(2);
            assertThat(drainedByC).containsExactly("two", "three");
            assertThat(a.size()).isZero();
            a.close();
            reaper.close();
        }
    }

    @Test
    void whileRedisIsDownOffersSpillLocallyAndMoveToTheStreamOnResync() throws Exception {
        ManualClock clock = new ManualClock();
        try (RedisServer redis = RedisServer.start();
             RedisLink linkA = RedisLink.connect(RedisEndpoint.of(redis.url()));
             RedisLink linkB = RedisLink.connect(RedisEndpoint.of(redis.url()))) {
            RedisStreamDeferredQueue<String> a = instance(linkA, "a", Duration.ofHours(1), clock);
            RedisStreamDeferredQueue<String> b = instance(linkB, "b", Duration.ofHours(1), clock);
            a.offer("before");

            redis.stop();
            long spilledTicket = a.offer("during-1");
            a.offer("during-2");
            assertThat(spilledTicket).as("a spilled item's ticket").isNegative();
            assertThat(a.health().state()).isEqualTo(SharedStateHealth.State.DEGRADED);
            assertThat(a.spilled()).isEqualTo(2);
            List<String> drainedLocally = new ArrayList<>();
            assertThat(a.drain(item -> {
                if (item.equals("during-2")) {
                    throw new IllegalStateException("the resource is still down");
                }
                drainedLocally.add(item);
            })).as("a DEGRADED queue drains its spill").isEqualTo(1);
            assertThat(drainedLocally).containsExactly("during-1");
            clock.advance(Duration.ofSeconds(1));
            assertThat(a.lastResync().get(5, SECONDS)).as("the tick retried a Redis that is still down").isFalse();
            assertThat(a.health().degraded()).isTrue();

            redis.restart();
            linkA.connected().get(10, SECONDS);
            clock.advance(Duration.ofSeconds(1));
            assertThat(a.lastResync().get(5, SECONDS)).isTrue();
            assertThat(a.health().state()).as("the tick resynchronised").isEqualTo(SharedStateHealth.State.HEALTHY);
            assertThat(a.spilled()).isZero();
            linkB.connected().get(10, SECONDS);
            List<String> drainedByB = new ArrayList<>();
            b.drain(drainedByB::add);
            // the restarted Redis kept nothing ("before" died with it, as it would without persistence); what was
            // spilled while it was down is on the stream now
            assertThat(drainedByB).containsExactly("during-2");
            assertThat(a.health().lastResyncNanos()).isPositive();
            a.close();
            b.close();
        }
    }
}
