package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.Hex.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.Test;

/** The RFC 6455 writer: exact bytes for every length encoding, masked and not, and ownership of the payload. */
class FrameWriterTest {

    private static final int KEY = 0x37fa213d;

    private static Rfc6455FrameWriter server() {
        return new Rfc6455FrameWriter(SluiceTest.allocator(), false, () -> {
            throw new AssertionError("a server does not mask");
        });
    }

    private static Rfc6455FrameWriter client() {
        return new Rfc6455FrameWriter(SluiceTest.allocator(), true, () -> KEY);
    }

    private static ByteBuf payload(String hex) {
        return Hex.buffer(SluiceTest.allocator(), hex);
    }

    @Test
    void writesAnUnmaskedTextFrame() {
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_TEXT, true, false, payload("48656c6c6f"))))
                .isEqualTo("810548656c6c6f"); // text "Hello", final
    }

    @Test
    void writesAMaskedTextFrame() {
        assertThat(hexAndRelease(client().data(WebSocketProtocol.OPCODE_TEXT, true, false, payload("48656c6c6f"))))
                .isEqualTo("818537fa213d7f9f4d5158"); // RFC 6455 §5.7
    }

    @Test
    void writesFragmentsWithTheirOpcodesAndFlags() {
        Rfc6455FrameWriter w = server();
        assertThat(hexAndRelease(w.data(WebSocketProtocol.OPCODE_BINARY, false, true, payload("aa"))))
                .isEqualTo("4201aa"); // binary, RSV1, not final
        assertThat(hexAndRelease(w.data(WebSocketProtocol.OPCODE_CONTINUATION, true, false, payload("bb"))))
                .isEqualTo("8001bb"); // continuation, final
    }

    @Test
    void usesThe7BitLengthUpTo125() {
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_BINARY, true, false,
                payload("00".repeat(125))))).startsWith("827d00").hasSize(2 * 127);
    }

    @Test
    void usesThe16BitLengthFrom126To65535() {
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_BINARY, true, false,
                payload("00".repeat(126))))).startsWith("827e007e00").hasSize(2 * (4 + 126));
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_BINARY, true, false,
                payload("00".repeat(65535))))).startsWith("827effff00").hasSize(2 * (4 + 65535));
    }

    @Test
    void usesThe64BitLengthFrom65536() {
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_BINARY, true, false,
                payload("00".repeat(65536))))).startsWith("827f000000000001000000").hasSize(2 * (10 + 65536));
    }

    @Test
    void masksLongFramesAfterTheirExtendedLength() {
        assertThat(hexAndRelease(client().data(WebSocketProtocol.OPCODE_BINARY, true, false,
                payload("00".repeat(65536))))).startsWith("82ff000000000001000037fa213d37fa213d");
    }

    @Test
    void writesControlFrames() {
        assertThat(hexAndRelease(server().control(WebSocketProtocol.OPCODE_PONG, payload("48656c6c6f"))))
                .isEqualTo("8a0548656c6c6f");
        assertThat(hexAndRelease(server().close(new ClosePayload(1000, "bye")))).isEqualTo("880503e8627965");
        assertThat(hexAndRelease(server().close(ClosePayload.NONE))).isEqualTo("8800");
    }

    @Test
    void neverModifiesTheCallersPayloadWhenMasking() {
        ByteBuf shared = payload("48656c6c6f").retain();
        hexAndRelease(client().data(WebSocketProtocol.OPCODE_TEXT, true, false, shared));
        assertThat(hexAndRelease(shared)).isEqualTo("48656c6c6f");
    }

    @Test
    void refusesOversizedControlFramesAndReleasesThePayload() {
        ByteBuf big = payload("00".repeat(126));
        assertThatThrownBy(() -> server().control(WebSocketProtocol.OPCODE_PING, big))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a ping carries at most 125 bytes, got 126");
        assertThat(big.refCnt()).isZero();
    }

    @Test
    void hixie76WritesTextBetweenSentinelsAndItsClose() {
        Hixie76FrameWriter w = new Hixie76FrameWriter(SluiceTest.allocator());
        assertThat(hexAndRelease(w.data(WebSocketProtocol.OPCODE_TEXT, true, false, payload("48656c6c6f"))))
                .isEqualTo("0048656c6c6fff");
        assertThat(hexAndRelease(w.data(WebSocketProtocol.OPCODE_TEXT, false, false, payload("4865"))))
                .isEqualTo("004865"); // a fragmented message streams as one frame
        assertThat(hexAndRelease(w.close(ClosePayload.NONE))).isEqualTo("ffff00"); // the open frame ends first
        ByteBuf binary = payload("01");
        assertThatThrownBy(() -> w.data(WebSocketProtocol.OPCODE_BINARY, true, false, binary))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(binary.refCnt()).isZero();
    }
}
