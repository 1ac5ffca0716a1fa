package dev.bulwark.queue;

import java.nio.charset.StandardCharsets;

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
    static Codec<dev.bulwark.ExecutionContext> contextValues(dev.bulwark.ContextKey<String>... keys) {
        return new ContextValuesCodec(java.util.List.of(keys));
    }
}
