package dev.bulwark.queue;

import dev.bulwark.ConfigException;
import dev.bulwark.ExecutionContext;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link DeferredQueue.Codec#contextValues}: a count, then each carried key's name and value as a length and UTF-8 bytes.
 * Decoding gives a {@linkplain ExecutionContext#detached() detached} context carrying the values.
 */
final class ContextValuesCodec implements DeferredQueue.Codec<ExecutionContext> {
    private final List<ExecutionContext.Key<String>> keys;
    private final Map<String, ExecutionContext.Key<String>> byName = new LinkedHashMap<>();

    ContextValuesCodec(List<ExecutionContext.Key<String>> keys) {
        this.keys = List.copyOf(keys);
        for (ExecutionContext.Key<String> key : this.keys) {
            if (byName.put(key.name(), Objects.requireNonNull(key, "key")) != null) {
                throw new ConfigException("context values codec", "keys", key.name(), "keys with distinct names");
            }
        }
    }

    @Override
    public byte[] encode(ExecutionContext context) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            int count = 0;
            for (ExecutionContext.Key<String> key : keys) {
                count += context.get(key).isPresent() ? 1 : 0;
            }
            out.writeInt(count);
            for (ExecutionContext.Key<String> key : keys) {
                String value = context.get(key).orElse(null);
                if (value != null) {
                    writeString(out, key.name());
                    writeString(out, value);
                }
            }
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** @throws IllegalArgumentException if the bytes are not encoded values of this codec's keys */
    @Override
    public ExecutionContext decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int count = in.getInt();
            if (count < 0 || count > bytes.length / 8) {
                throw new IllegalArgumentException("not encoded context values: a count of " + count + " in "
                        + bytes.length + " bytes");
            }
            ExecutionContext context = ExecutionContext.detached();
            for (int i = 0; i < count; i++) {
                String name = readString(in);
                ExecutionContext.Key<String> key = byName.get(name);
                if (key == null) {
                    throw new IllegalArgumentException("not encoded context values: unknown key '" + name + "', known "
                            + byName.keySet());
                }
                context = context.with(key, readString(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("not encoded context values: " + in.remaining() + " bytes left over");
            }
            return context;
        } catch (BufferUnderflowException truncated) {
            throw new IllegalArgumentException("not encoded context values: truncated at byte " + in.position(), truncated);
        }
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("not encoded context values: a string of " + length + " bytes with "
                    + in.remaining() + " left");
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
