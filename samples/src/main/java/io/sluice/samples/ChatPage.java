package io.sluice.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The chat room's page ({@code chat.html}), shared by the {@code chat} and {@code spring-chat} samples. The page
 * opens its WebSocket at {@code /chat} of its own origin, unless it is told another address. {@link #load()} reads
 * the file: call it at startup, not on an event loop.
 */
final class ChatPage {

    private final String template;

    private ChatPage(String template) {
        this.template = template;
    }

    /** Reads the page from the class path (a blocking read). */
    static ChatPage load() {
        return new ChatPage(read());
    }

    /**
     * The page as UTF-8.
     *
     * @param socketUrl where the page's WebSocket is ({@code ws://host:port/chat}); empty: {@code /chat} of the
     *                  page's own origin
     */
    byte[] html(String socketUrl) {
        if (socketUrl.chars().anyMatch(c -> c == '"' || c == '<' || c == '>' || c == '&')) {
            throw new IllegalArgumentException("not a plain WebSocket URL: " + socketUrl);
        }
        return template.replace("{{chat-socket}}", socketUrl).getBytes(StandardCharsets.UTF_8);
    }

    private static String read() {
        try (InputStream in = ChatPage.class.getResourceAsStream("chat.html")) {
            if (in == null) {
                throw new IllegalStateException("chat.html is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
