package dev.bulwark.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 over a plain socket, for what a well-behaved client cannot send: raw request bytes, one response read. */
final class RawHttp implements AutoCloseable {
    /** A response: status, headers as sent (lower-cased names) and body. */
    record Response(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final Socket socket = new Socket();
    private final InputStream in;

    RawHttp(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
    }

    Socket socket() {
        return socket;
    }

    void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] raw) throws IOException {
        socket.getOutputStream().write(raw);
        socket.getOutputStream().flush();
    }

    /** Reads one response (headers, then a Content-Length or chunked body); null when the server closed first. */
    Response read() throws IOException {
        String head = readHead();
        if (head == null) {
            return null;
        }
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase(Locale.ROOT);
        byte[] body;
        int length = lower.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int end = lower.indexOf("\r\n", length + 2);
            body = in.readNBytes(Integer.parseInt(lower.substring(length + 17, end).trim()));
        } else if (lower.contains("transfer-encoding: chunked")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(readLine().trim(), 16);
                if (size == 0) {
                    readLine();
                    break;
                }
                out.write(in.readNBytes(size));
                readLine();
            }
            body = out.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, head, new String(body, StandardCharsets.UTF_8));
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                return head.length() == 0 ? null : head.toString();
            }
            head.append((char) next);
        }
        return head.toString();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int next;
        while ((next = in.read()) >= 0 && next != '\n') {
            line.append((char) next);
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
