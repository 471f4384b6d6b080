package io.sluice.websocket;

import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_ABNORMAL;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.websocket.frame.ClosePayload;
import io.sluice.websocket.frame.Frame;
import io.sluice.websocket.frame.FrameReader;
import io.sluice.websocket.frame.Hex;
import io.sluice.websocket.frame.Utf8Validator;
import io.sluice.websocket.frame.WebSocketProtocol;
import io.sluice.websocket.frame.WebSocketProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server session must make of a peer's bytes, worked out frame by frame from a frame reader and a UTF-8
 * validator of its own (each fuzzed on its own against independent oracles) and RFC 6455's message rules: the
 * messages the application receives, the pings it must answer, and how the session ends: with the close code of the
 * first violation (1002 from framing, 1007 for text that is not UTF-8, 1009 past the message size limit), with the
 * peer's close, or with the input's end (no close frame: 1006).
 *
 * <p>Ownership: the input is copied into a buffer of the allocator given; every payload read is released here.
 */
final class SessionModel {

    enum Ending { VIOLATION, PEER_CLOSE, INPUT_ENDED }

    /** Each message the application must receive, whole: "TEXT hex" or "BINARY hex". */
    final List<String> delivered = new ArrayList<>();
    /** The payload of each ping read, as hex. */
    final List<String> pings = new ArrayList<>();
    Ending ending;
    /** VIOLATION: the code the session must send; PEER_CLOSE: the code received (1005 for none); else 1006. */
    int closeCode;
    String violation;

    private SessionModel() {
    }

    /** Reads {@code input}, copied into a buffer of {@code alloc}, with {@code reader} (released here). */
    static SessionModel predict(ByteBufAllocator alloc, FrameReader reader, byte[] input, long maxMessageSize) {
        SessionModel model = new SessionModel();
        try {
            reader.feed(alloc.buffer(input.length).writeBytes(input));
            model.read(reader, maxMessageSize);
        } finally {
            reader.release();
        }
        return model;
    }

    static String describe(WebSocketMessage.Type type, String hex) {
        return type + " " + hex;
    }

    private void read(FrameReader reader, long maxMessageSize) {
        WebSocketMessage.Type type = null;
        long size = 0;
        StringBuilder hex = new StringBuilder();
        Utf8Validator utf8 = new Utf8Validator();
        for (;;) {
            Frame f;
            try {
                f = reader.poll();
            } catch (WebSocketProtocolException e) {
                end(Ending.VIOLATION, e.closeCode(), e.getMessage());
                return;
            }
            if (f == null) {
                end(Ending.INPUT_ENDED, CLOSE_ABNORMAL, null);
                return;
            }
            ByteBuf p = f.payload();
            try {
                switch (f.opcode()) {
                    case WebSocketProtocol.OPCODE_PING -> {
                        pings.add(Hex.of(p));
                        continue;
                    }
                    case WebSocketProtocol.OPCODE_PONG -> {
                        continue;
                    }
                    case WebSocketProtocol.OPCODE_CLOSE -> {
                        try {
                            end(Ending.PEER_CLOSE, ClosePayload.parse(p).code(), null);
                        } catch (WebSocketProtocolException e) {
                            end(Ending.VIOLATION, e.closeCode(), e.getMessage());
                        }
                        return;
                    }
                    default -> {
                        // data, below
                    }
                }
                if (f.first() && f.opcode() != WebSocketProtocol.OPCODE_CONTINUATION) {
                    type = f.opcode() == WebSocketProtocol.OPCODE_TEXT ? WebSocketMessage.Type.TEXT
                            : WebSocketMessage.Type.BINARY;
                    size = 0;
                    hex.setLength(0);
                    utf8.reset();
                }
                // A frame that declares more than the message may still take is refused at once.
                if (f.first() && f.length() != Frame.UNKNOWN_LENGTH && f.length() > maxMessageSize - size) {
                    end(Ending.VIOLATION, CLOSE_MESSAGE_TOO_BIG, "frame declares too much");
                    return;
                }
                size += p.readableBytes();
                if (size > maxMessageSize) {
                    end(Ending.VIOLATION, CLOSE_MESSAGE_TOO_BIG, "message too big");
                    return;
                }
                if (type == WebSocketMessage.Type.TEXT
                        && (!utf8.update(p) || (f.endsMessage() && !utf8.isComplete()))) {
                    end(Ending.VIOLATION, CLOSE_INVALID_PAYLOAD, "not UTF-8");
                    return;
                }
                hex.append(Hex.of(p));
                if (f.endsMessage()) {
                    delivered.add(describe(type, hex.toString()));
                }
            } finally {
                p.release();
            }
        }
    }

    private void end(Ending how, int code, String why) {
        ending = how;
        closeCode = code;
        violation = why;
    }

    @Override
    public String toString() {
        return "expected " + ending + " " + closeCode + (violation != null ? " (" + violation + ")" : "") + " after "
                + delivered.size() + " message(s) and " + pings.size() + " ping(s)";
    }
}
