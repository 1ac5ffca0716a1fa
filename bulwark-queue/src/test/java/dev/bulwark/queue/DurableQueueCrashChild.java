package dev.bulwark.queue;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link DeferredQueueTest}: queues items as fast as it can and prints
 * {@code ACK n} once {@code offer} has returned for item n, until it is killed.
 */
public final class DurableQueueCrashChild {
    private DurableQueueCrashChild() {
    }

    public static void main(String[] args) {
        DurableDeferredQueue<String> queue = DurableDeferredQueue.open("crash", Path.of(args[0]), DeferredQueue.Codec.utf8(), 1_000_000, 100);
        for (int i = 0; ; i++) {
            queue.offer("item-" + i);
            System.out.println("ACK " + i);
            System.out.flush();
            if (i % 7 == 3) {
                queue.ack(queue.oldestTicket().orElseThrow()); // acknowledged work is journaled too
                System.out.println("DONE " + (i / 7));
                System.out.flush();
            }
        }
    }
}
