package io.sluice.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A WebSocket message, or one fragment of one: a type (text or binary), a payload, and whether it ends its message.
 * Whole messages always end theirs; {@link WebSocketSession#receiveFragments()} delivers large messages as a run of
 * fragments of which only the last has {@link #isLast()}, and {@link WebSocketSession#send} sends such a run as one
 * fragmented message. A text payload is UTF-8; a text message as a whole is valid UTF-8 (received ones are checked),
 * but one fragment may end in the middle of a character. The payload is its buffer's readable bytes, from its reader
 * index, which need not be 0: a received payload may keep its frame's header, or room for one, in front of it.
 *
 * <p>Ownership: a message is reference-counted, and its count is its payload's ({@link #content()}). Whoever holds a
 * message releases it once ({@link #release()}), or passes it on: {@code send} takes ownership of every message its
 * publisher emits. Being {@link io.netty.util.ReferenceCounted}, a message dropped by a Reactor operator is released
 * by Sluice's discard hook like a buffer. To send one message to several sessions, {@link #retain()} it once per
 * extra send: payloads are never modified when sent.
 */
public final class WebSocketMessage extends DefaultByteBufHolder {

    /** What the payload holds. */
    public enum Type { TEXT, BINARY }

    private final Type type;
    private final boolean last;

    private WebSocketMessage(Type type, ByteBuf payload, boolean last) {
        super(payload);
        this.type = Objects.requireNonNull(type, "type");
        this.last = last;
    }

    /** A text message of {@code text}, encoded as UTF-8 into a buffer from {@code alloc} (a session's allocator). */
    public static WebSocketMessage text(ByteBufAllocator alloc, CharSequence text) {
        ByteBuf payload = alloc.buffer(ByteBufUtil.utf8Bytes(text));
        ByteBufUtil.writeUtf8(payload, text);
        return new WebSocketMessage(Type.TEXT, payload, true);
    }

    /** A text message whose payload is {@code utf8}, taking ownership of it. */
    public static WebSocketMessage text(ByteBuf utf8) {
        return new WebSocketMessage(Type.TEXT, utf8, true);
    }

    /** A binary message whose payload is {@code payload}, taking ownership of it. */
    public static WebSocketMessage binary(ByteBuf payload) {
        return new WebSocketMessage(Type.BINARY, payload, true);
    }

    /** A binary message with a copy of {@code bytes}, in a buffer from {@code alloc}. */
    public static WebSocketMessage binary(ByteBufAllocator alloc, byte[] bytes) {
        return new WebSocketMessage(Type.BINARY, alloc.buffer(bytes.length).writeBytes(bytes), true);
    }

    /**
     * One fragment of a message, taking ownership of {@code payload}: a message is sent as fragments of one type, of
     * which only the last has {@code last} set.
     */
    public static WebSocketMessage fragment(Type type, ByteBuf payload, boolean last) {
        return new WebSocketMessage(type, payload, last);
    }

    public Type type() {
        return type;
    }

    public boolean isText() {
        return type == Type.TEXT;
    }

    /** Whether this ends its message: always true for whole messages. */
    public boolean isLast() {
        return last;
    }

    /** The payload, the same buffer as {@link #content()}; ownership stays with the message. */
    public ByteBuf payload() {
        return content();
    }

    /** The payload decoded as UTF-8, without consuming or releasing it. */
    public String text() {
        return content().toString(StandardCharsets.UTF_8);
    }

    /** A message of the same type and position whose payload is {@code content} (used by copy and duplicate). */
    @Override
    public WebSocketMessage replace(ByteBuf content) {
        return new WebSocketMessage(type, content, last);
    }

    @Override
    public WebSocketMessage copy() {
        return (WebSocketMessage) super.copy();
    }

    @Override
    public WebSocketMessage duplicate() {
        return (WebSocketMessage) super.duplicate();
    }

    @Override
    public WebSocketMessage retainedDuplicate() {
        return (WebSocketMessage) super.retainedDuplicate();
    }

    @Override
    public WebSocketMessage retain() {
        super.retain();
        return this;
    }

    @Override
    public WebSocketMessage retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public WebSocketMessage touch() {
        super.touch();
        return this;
    }

    @Override
    public WebSocketMessage touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebSocketMessage m && m.type == type && m.last == last && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + type.hashCode()) + Boolean.hashCode(last);
    }

    @Override
    public String toString() {
        return "WebSocketMessage[" + type + (last ? "" : ", fragment") + ", "
                + (refCnt() > 0 ? content().readableBytes() + " B" : "released") + "]";
    }
}
