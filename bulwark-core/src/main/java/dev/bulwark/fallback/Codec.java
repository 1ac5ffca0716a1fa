package dev.bulwark.fallback;

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
     * String maps (an execution context's tags, as {@link FallbackPolicy}'s QUEUE_REQUEST keeps them), in key order
     * as given, each key and value as length-prefixed UTF-8.
     */
    static Codec<java.util.Map<String, String>> tags() {
        return TagsCodec.INSTANCE;
    }
}
