package dev.bulwark.queue;

import dev.bulwark.ConfigException;
import dev.bulwark.internal.Checks;
import dev.bulwark.internal.GivenSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Requests put aside while a resource is unavailable (the queue-request fallback), to be processed when it
 * recovers. Delivery is at least once: an item stays queued until it is {@linkplain #ack acknowledged}, so
 * a worker that dies mid-item sees it again. Implementations are thread-safe.
 *
 * <pre>{@code
 * DeferredQueue<String> later = DeferredQueue.inMemory("later", 1_000);
 * DeferredQueue<ExecutionContext> durable = DeferredQueue.<ExecutionContext>builder("llm-later")
 *         .journal(Path.of("llm-later.journal"), Codec.contextValues(PROMPT)).capacity(10_000).build();
 * }</pre>
 *
 * <p>A queue with a journal survives a crash: an append-only journal of {@code enqueue} and {@code ack} records,
 * each with a magic number, its length and a CRC-32 of both. Once {@link #offer} returns, the item is on disk (the
 * journal is forced) and is delivered after any crash at least once: an acknowledgement that had not reached the
 * disk when the process died means the item is delivered again, so handlers must be idempotent. Opening replays the
 * journal and never fails on its contents: a torn tail is cut off, damaged, undecodable or impossible records are
 * skipped, copied to {@code <journal>.quarantine} and reported by {@link #recovery()}. When more than half the
 * journal is acknowledged records (and at least {@code compactAfter} of them) it is rewritten atomically with only
 * the waiting items; tickets keep increasing across compactions and restarts.
 *
 * @param <T> the item type
 */
public interface DeferredQueue<T> extends AutoCloseable {

    /**
     * Queues an item; once this returns, the item is kept (for the durable queue: on disk).
     *
     * @return the item's ticket
     * @throws QueueFullException if the queue is at its bound
     */
    long offer(T item);

    /** The oldest items not yet acknowledged, at most {@code max}, without removing them. */
    List<Ticketed<T>> peek(int max);

    /** Removes an item for good; acknowledging twice or an unknown ticket does nothing. */
    void ack(long ticket);

    /** Items waiting. */
    int size();

    /**
     * Processes waiting items in order with {@code handler}, acknowledging each one it accepts, and stops at
     * the first one it throws on (that item stays queued for the next drain).
     *
     * @return how many items were processed
     */
    default int drain(ItemHandler<T> handler) {
        int processed = 0;
        while (true) {
            List<Ticketed<T>> next = peek(1);
            if (next.isEmpty()) {
                return processed;
            }
            try {
                handler.handle(next.get(0).item());
            } catch (Exception failure) {
                return processed;
            }
            ack(next.get(0).ticket());
            processed++;
        }
    }

    /** The ticket of the oldest waiting item. */
    default Optional<Long> oldestTicket() {
        List<Ticketed<T>> head = peek(1);
        return head.isEmpty() ? Optional.empty() : Optional.of(head.get(0).ticket());
    }

    /**
     * What opening the queue found wrong with its journal and did about it; always {@linkplain Recovery#clean()
     * clean} for a queue in memory.
     */
    default Recovery recovery() {
        return Recovery.CLEAN;
    }

    @Override
    void close();

    /** A bounded queue in memory called {@code name}, holding at most {@code capacity} items (lost with the process). */
    static <T> DeferredQueue<T> inMemory(String name, int capacity) {
        return DeferredQueue.<T>builder(name).capacity(capacity).build();
    }

    /**
     * A builder for a queue called {@code name}: in memory unless given a {@linkplain Config.Builder#journal journal}.
     * Use a type witness for the item type: {@code DeferredQueue.<String>builder("later")}.
     */
    static <T> Config.Builder<T> builder(String name) {
        return new Config.Builder<>(name);
    }

    /**
     * The queue {@code config} describes: in memory, or durable, opening (or creating) its journal and replaying
     * what it holds (see {@link #recovery()}).
     *
     * @throws java.io.UncheckedIOException if the journal cannot be read or written
     */
    static <T> DeferredQueue<T> of(Config<T> config) {
        Objects.requireNonNull(config, "config");
        Codec<T> codec = config.codec();
        Path journal = config.journal();
        return journal == null || codec == null ? new InMemoryDeferredQueue<>(config.name(), config.capacity())
                : DurableDeferredQueue.open(config.name(), journal, codec, config.capacity(), config.compactAfter());
    }

    /** An item with its ticket. */
    record Ticketed<T>(long ticket, T item) {
    }

    /** What a drain does with one item; throwing leaves it queued. */
    @FunctionalInterface
    interface ItemHandler<T> {
        /** Processes the item. */
        void handle(T item) throws Exception;
    }

    /**
     * Turns queued items into bytes and back, for the durable deferred queue.
     *
     * @param <T> the item type
     */
    public interface Codec<T> {

        /** The item as bytes. */
        byte[] encode(T item);

        /** The item back from its bytes. */
        T decode(byte[] bytes);

        /** Strings as UTF-8. */
        static Codec<String> utf8() {
            return new Codec<>() {
                @Override
                public byte[] encode(String item) {
                    return item.getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public String decode(byte[] bytes) {
                    return new String(bytes, StandardCharsets.UTF_8);
                }
            };
        }

        /**
         * The values an execution context carries under {@code keys} (in that order, each key's name and value as
         * length-prefixed UTF-8), for queueing a call to run again later; decoding gives a
         * {@linkplain dev.bulwark.ExecutionContext#detached() detached} context carrying the same values, so the queued
         * call sees them as it would have. Values under other keys are not kept.
         *
         * @throws dev.bulwark.ConfigException if two keys share a name
         */
        @SafeVarargs
        static Codec<dev.bulwark.ExecutionContext> contextValues(dev.bulwark.ExecutionContext.Key<String>... keys) {
            return new ContextValuesCodec(java.util.List.of(keys));
        }
    }

    /**
     * What opening the queue found wrong with its journal and did about it.
     *
     * @param tornTailBytes bytes cut from the end: a record the last crash left half-written
     * @param corruptBytes bytes skipped between intact records (their items, if any, are lost)
     * @param undecodableTickets tickets of intact records the codec could not decode
     * @param problems one line per problem, for logs and alerts
     * @param quarantine where the skipped bytes were copied, when any were
     */
    record Recovery(long tornTailBytes, long corruptBytes, List<Long> undecodableTickets, List<String> problems,
                           Optional<Path> quarantine) {

        /** A replay that found nothing wrong. */
        public static final Recovery CLEAN = new Recovery(0, 0, List.of(), List.of(), Optional.empty());

        /** Copies the lists. */
        public Recovery {
            undecodableTickets = List.copyOf(undecodableTickets);
            problems = List.copyOf(problems);
        }

        /** True when the journal replayed without any problem. */
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    /**
     * The immutable settings of a deferred queue. Defaults: capacity 10,000 items; in memory (no journal); a journal
     * compacted once at least 1,000 acknowledged records make up more than half of it.
     *
     * @param name the queue's name, in messages
     * @param capacity items the queue holds at most, in [1, 100,000,000]; an offer beyond it fails with
     *        {@link QueueFullException}
     * @param journal the journal file of a durable queue, or null for a queue in memory
     * @param codec how a durable queue's items become bytes (given exactly when the journal is)
     * @param compactAfter acknowledged records the journal must hold before it is compacted, in [1, 100,000,000]
     * @param <T> the item type
     */
    record Config<T>(String name, int capacity, @Nullable Path journal, @Nullable Codec<T> codec, int compactAfter) {

        /** Validates every field. */
        public Config {
            String who = "deferred queue '" + Checks.name("deferred queue", name) + "'";
            Checks.between(who, "capacity", capacity, 1, 100_000_000);
            Checks.between(who, "compactAfter", compactAfter, 1, 100_000_000);
            if ((journal == null) != (codec == null)) {
                throw new ConfigException(who, "codec", codec == null ? "none" : "given",
                        "given together with a journal, and only then");
            }
        }

        /** A builder starting from this config's values, none of them given yet, so each may be overridden once. */
        public Builder<T> toBuilder() {
            Builder<T> builder = new Builder<>(name);
            builder.capacity = capacity;
            builder.journal = journal;
            builder.codec = codec;
            builder.compactAfter = compactAfter;
            return builder;
        }

        /** Builds a {@link Config} or a {@link DeferredQueue}. Each setting may be given once. Not thread-safe. */
        public static final class Builder<T> {
            private final GivenSettings given = new GivenSettings();
            private final String name;
            private int capacity = 10_000;
            private @Nullable Path journal;
            private @Nullable Codec<T> codec;
            private int compactAfter = 1_000;

            Builder(String name) {
                this.name = name;
            }

            private void given(String setting) {
                given.mark("deferred queue '" + name + "'", setting);
            }

            /** Items held at most (default 10,000). */
            public Builder<T> capacity(int capacity) {
                given("capacity");
                this.capacity = capacity;
                return this;
            }

            /** Makes the queue durable: journaled at {@code journal}, items written with {@code codec}. */
            public Builder<T> journal(Path journal, Codec<T> codec) {
                given("journal");
                this.journal = Objects.requireNonNull(journal, "journal");
                this.codec = Objects.requireNonNull(codec, "codec");
                return this;
            }

            /** Acknowledged records the journal holds before it may be compacted (default 1,000). */
            public Builder<T> compactAfter(int records) {
                given("compactAfter");
                this.compactAfter = records;
                return this;
            }

            /** The settings. @throws ConfigException for an invalid setting */
            public Config<T> buildConfig() {
                return new Config<>(name, capacity, journal, codec, compactAfter);
            }

            /**
             * The queue (a durable one opens its journal now).
             *
             * @throws ConfigException for an invalid setting
             * @throws java.io.UncheckedIOException if the journal cannot be read or written
             */
            public DeferredQueue<T> build() {
                return DeferredQueue.of(buildConfig());
            }
        }
    }
}
