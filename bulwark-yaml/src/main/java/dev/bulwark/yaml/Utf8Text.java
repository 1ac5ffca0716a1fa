package dev.bulwark.yaml;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A configuration file's bytes as text: strict UTF-8, a bad byte reported with its line and offset. */
final class Utf8Text {
    private Utf8Text() {
    }

    /** @throws ConfigFileException naming the line and offset of the first byte that is not UTF-8 */
    static String decode(String fileName, byte[] content) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new ConfigFileException(fileName, lineAt(content, offset), "", String.format(Locale.ROOT,
                    "is not UTF-8 text: byte 0x%02X at offset %d", content[offset] & 0xFF, offset));
        }
        return out.flip().toString();
    }

    private static int lineAt(byte[] content, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (content[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
