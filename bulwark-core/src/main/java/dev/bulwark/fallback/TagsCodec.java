package dev.bulwark.fallback;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@link Codec#tags()}: a count, then each key and value as a length and UTF-8 bytes. */
final class TagsCodec implements Codec<Map<String, String>> {
    static final TagsCodec INSTANCE = new TagsCodec();

    private TagsCodec() {
    }

    @Override
    public byte[] encode(Map<String, String> tags) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(tags.size());
            for (Map.Entry<String, String> tag : tags.entrySet()) {
                writeString(out, tag.getKey());
                writeString(out, tag.getValue());
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

    /** @throws IllegalArgumentException if the bytes are not an encoded map */
    @Override
    public Map<String, String> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int count = in.getInt();
            if (count < 0 || count > bytes.length / 8) {
                throw new IllegalArgumentException("not encoded tags: a count of " + count + " in " + bytes.length + " bytes");
            }
            Map<String, String> tags = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                tags.put(readString(in), readString(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("not encoded tags: " + in.remaining() + " bytes left over");
            }
            return Collections.unmodifiableMap(tags);
        } catch (BufferUnderflowException truncated) {
            throw new IllegalArgumentException("not encoded tags: truncated at byte " + in.position(), truncated);
        }
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("not encoded tags: a string of " + length + " bytes with "
                    + in.remaining() + " left");
        }
        byte[] utf8 = new byte[length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
