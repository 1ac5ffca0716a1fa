package dev.bulwark.redis;

import dev.bulwark.queue.DeferredQueue;

/** The contract on bulwark-queue's in-memory queue: the reference the Redis stream queue must match. */
class LocalQueueContractTest extends DeferredQueueContract {
    @Override
    DeferredQueue<String> newQueue(String name, int capacity) {
        return DeferredQueue.inMemory(name, capacity);
    }
}
