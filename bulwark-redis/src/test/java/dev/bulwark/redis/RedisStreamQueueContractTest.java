package dev.bulwark.redis;

import dev.bulwark.queue.DeferredQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The deferred queue contract on a Redis stream, on a real redis-server. */
class RedisStreamQueueContractTest extends DeferredQueueContract {
    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static RedisServer redis;
    private static RedisLink link;
    private final List<DeferredQueue<String>> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        link = RedisLink.connect(RedisEndpoint.of(redis.url()));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        link.close();
        redis.close();
    }

    @AfterEach
    void closeQueues() {
        opened.forEach(DeferredQueue::close);
    }

    @Override
    DeferredQueue<String> newQueue(String name, int capacity) {
        DeferredQueue<String> queue = RedisStreamDeferredQueue.builder(name, DeferredQueue.Codec.utf8())
                .key("contract:" + STREAMS.incrementAndGet()).capacity(capacity).build(link);
        opened.add(queue);
        return queue;
    }
}
