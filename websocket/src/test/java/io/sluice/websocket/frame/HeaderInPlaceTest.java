package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.Hex.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.api.BufferBudget;
import io.sluice.test.SluiceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server frames a payload in its own buffer, header in front, only when that buffer is the server's alone and has
 * room there (a received message echoed back); any other payload is copied, and the bytes in front of it are never
 * written. The reader hands on a read buffer holding one message as that message's payload (its header leaves the
 * room), unless the buffer is much larger, and leaves the room in front of every payload it copies.
 */
class HeaderInPlaceTest {

    private static final int KEY = 0x37fa213d;
    /** What the room in front of a payload holds before anything is written there. */
    private static final String UNTOUCHED = "eeeeeeee";

    private BufferBudget budget;

    @BeforeEach
    void budget() {
        budget = BufferBudget.builder().name("in-place").parent(SluiceTest.allocator()).trackBuffers(true).build();
    }

    @AfterEach
    void nothingOutstanding() {
        assertThat(budget.outstandingBuffers()).isZero();
        assertThat(budget.close()).isEmpty();
    }

    private Rfc6455FrameWriter server() {
        return new Rfc6455FrameWriter(budget.allocator(), false, () -> {
            throw new AssertionError("a server does not mask");
        });
    }

    /** A budget buffer holding {@code room} bytes of 0xee, then {@code hex} readable. */
    private ByteBuf withRoom(int room, String hex) {
        byte[] bytes = Hex.bytes(hex);
        ByteBuf buf = budget.allocator().buffer(room + bytes.length, room + bytes.length);
        for (int i = 0; i < room; i++) {
            buf.writeByte(0xee);
        }
        return buf.readerIndex(room).writeBytes(bytes);
    }

    @Test
    void framesAnOwnedPayloadInItsOwnBufferWithoutAllocating() {
        ByteBuf payload = withRoom(4, "48656c6c6f");
        ByteBuf frame = server().data(WebSocketProtocol.OPCODE_BINARY, true, false, payload);
        assertThat(frame).isSameAs(payload);
        assertThat(budget.outstandingBuffers()).isEqualTo(1);
        assertThat(frame.readerIndex()).isEqualTo(2);
        assertThat(hexAndRelease(frame)).isEqualTo("820548656c6c6f"); // binary "Hello", final
    }

    @Test
    void putsA16BitLengthInFront() {
        ByteBuf frame = server().data(WebSocketProtocol.OPCODE_BINARY, true, false, withRoom(4, "00".repeat(126)));
        assertThat(frame.readerIndex()).isZero();
        assertThat(hexAndRelease(frame)).startsWith("827e007e00").hasSize(2 * (4 + 126));
    }

    @Test
    void framesAPongInFrontOfThePingPayload() {
        assertThat(hexAndRelease(server().control(WebSocketProtocol.OPCODE_PONG, withRoom(4, "6869"))))
                .isEqualTo("8a026869");
    }

    @Test
    void copiesWhenTheRoomIsTooSmallForTheHeader() {
        ByteBuf payload = withRoom(3, "00".repeat(126)).retain();
        ByteBuf frame = server().data(WebSocketProtocol.OPCODE_BINARY, true, false, payload);
        assertThat(frame).isNotSameAs(payload);
        assertThat(hexAndRelease(frame)).startsWith("827e007e00");
        assertThat(roomOf(payload, 3)).isEqualTo("eeeeee");
        payload.release();
    }

    @Test
    void neverWritesInFrontOfAPayloadRetainedForAnotherSend() {
        ByteBuf broadcast = withRoom(4, "6869").retain();
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_TEXT, true, false, broadcast)))
                .isEqualTo("81026869");
        assertThat(roomOf(broadcast, 4)).isEqualTo(UNTOUCHED);
        assertThat(ByteBufUtil.hexDump(broadcast)).isEqualTo("6869");
        // The last holder owns it alone: its send frames it in place.
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_TEXT, true, false, broadcast)))
                .isEqualTo("81026869");
        assertThat(broadcast.refCnt()).isZero();
    }

    @Test
    void neverWritesInFrontOfARetainedDuplicate() {
        ByteBuf original = withRoom(4, "6869");
        ByteBuf duplicate = original.retainedDuplicate();
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_TEXT, true, false, duplicate)))
                .isEqualTo("81026869");
        assertThat(roomOf(original, 4)).isEqualTo(UNTOUCHED);
        original.release();
    }

    @Test
    void neverWritesInFrontOfASliceOfALargerBuffer() {
        ByteBuf parent = withRoom(4, "6869");
        ByteBuf slice = parent.slice(2, 4).readerIndex(2);
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_TEXT, true, false, slice)))
                .isEqualTo("81026869");
        assertThat(parent.refCnt()).isZero();
    }

    @Test
    void neverWritesIntoAdoptedMemory() {
        byte[] shared = Hex.bytes("eeeeeeee6869");
        ByteBuf adopted = budget.adopt(Unpooled.wrappedBuffer(shared).readerIndex(4));
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_TEXT, true, false, adopted)))
                .isEqualTo("81026869");
        assertThat(ByteBufUtil.hexDump(shared)).isEqualTo("eeeeeeee6869");
    }

    @Test
    void aClientCopiesToMaskEvenAnOwnedPayload() {
        Rfc6455FrameWriter client = new Rfc6455FrameWriter(budget.allocator(), true, () -> KEY);
        ByteBuf payload = withRoom(8, "48656c6c6f").retain();
        assertThat(hexAndRelease(client.data(WebSocketProtocol.OPCODE_TEXT, true, false, payload)))
                .isEqualTo("818537fa213d7f9f4d5158"); // RFC 6455 §5.7
        assertThat(ByteBufUtil.hexDump(payload)).isEqualTo("48656c6c6f");
        payload.release();
    }

    @Test
    void theReaderLeavesRoomForTheHeaderInFrontOfCopiedPayloads() throws WebSocketProtocolException {
        Rfc6455FrameReader reader = new Rfc6455FrameReader(budget.allocator(), true, false, 1 << 20);
        // masked binary "Hello" (RFC 6455 §5.7's key), then a masked ping "hi"
        reader.feed(Hex.buffer(budget.allocator(), "828537fa213d7f9f4d5158" + "898237fa213d5f93"));
        ByteBuf data = reader.poll().payload();
        assertThat(ByteBufUtil.hexDump(data)).isEqualTo("48656c6c6f");
        assertThat(BufferBudget.reclaimableHeadroom(data)).isEqualTo(Rfc6455FrameReader.HEADER_ROOM);
        ByteBuf ping = reader.poll().payload();
        assertThat(ByteBufUtil.hexDump(ping)).isEqualTo("6869");
        assertThat(BufferBudget.reclaimableHeadroom(ping)).isEqualTo(Rfc6455FrameReader.HEADER_ROOM);
        // echoed back: framed where they are
        ByteBuf echo = server().data(WebSocketProtocol.OPCODE_BINARY, true, false, data);
        assertThat(echo).isSameAs(data);
        assertThat(hexAndRelease(echo)).isEqualTo("820548656c6c6f");
        assertThat(hexAndRelease(server().control(WebSocketProtocol.OPCODE_PONG, ping))).isEqualTo("8a026869");
        reader.release();
    }

    @Test
    void aReadHoldingOneMessageBecomesItsPayloadAndThenItsEcho() throws WebSocketProtocolException {
        Rfc6455FrameReader reader = new Rfc6455FrameReader(budget.allocator(), true, false, 1 << 20);
        ByteBuf read = Hex.buffer(budget.allocator(), "828537fa213d7f9f4d5158"); // masked binary "Hello"
        reader.feed(read);
        ByteBuf payload = reader.poll().payload();
        assertThat(payload).isSameAs(read);
        assertThat(ByteBufUtil.hexDump(payload)).isEqualTo("48656c6c6f");
        ByteBuf echo = server().data(WebSocketProtocol.OPCODE_BINARY, true, false, payload);
        assertThat(echo).isSameAs(read);
        assertThat(budget.outstandingBuffers()).isEqualTo(1);
        assertThat(hexAndRelease(echo)).isEqualTo("820548656c6c6f");
        assertThat(reader.poll()).isNull();
        reader.release();
    }

    @Test
    void aReadBufferMuchLargerThanItsMessageIsCopiedOutOfRatherThanKept() throws WebSocketProtocolException {
        Rfc6455FrameReader reader = new Rfc6455FrameReader(budget.allocator(), true, false, 1 << 20);
        int capacity = 11 + Rfc6455FrameReader.TAKE_WHOLE_SLACK + 1;
        ByteBuf read = budget.allocator().buffer(capacity, capacity).writeBytes(Hex.bytes("828537fa213d7f9f4d5158"));
        reader.feed(read);
        ByteBuf payload = reader.poll().payload();
        assertThat(payload).isNotSameAs(read);
        assertThat(read.refCnt()).isZero();
        assertThat(payload.capacity()).isEqualTo(Rfc6455FrameReader.HEADER_ROOM + 5);
        assertThat(hexAndRelease(server().data(WebSocketProtocol.OPCODE_BINARY, true, false, payload)))
                .isEqualTo("820548656c6c6f");
        reader.release();
    }

    @Test
    void aReadOnlyReadBufferIsCopiedOutOfRatherThanHandedOn() throws WebSocketProtocolException {
        Rfc6455FrameReader reader = new Rfc6455FrameReader(budget.allocator(), false, false, 1 << 20);
        ByteBuf read = Hex.buffer(budget.allocator(), "820548656c6c6f"); // unmasked binary "Hello", as a client reads
        reader.feed(read.asReadOnly());
        ByteBuf payload = reader.poll().payload();
        assertThat(payload.isReadOnly()).isFalse();
        assertThat(read.refCnt()).isZero();
        assertThat(hexAndRelease(payload)).isEqualTo("48656c6c6f");
        reader.release();
    }

    @Test
    void theLastPieceOfAFrameSplitAcrossReadsIsItsReadBuffer() throws WebSocketProtocolException {
        Rfc6455FrameReader reader = new Rfc6455FrameReader(budget.allocator(), true, false, 1 << 20);
        reader.feed(Hex.buffer(budget.allocator(), "828537fa213d7f9f")); // header and "He"
        ByteBuf first = reader.poll().payload();
        ByteBuf rest = Hex.buffer(budget.allocator(), "4d5158"); // "llo", still masked
        reader.feed(rest);
        ByteBuf second = reader.poll().payload();
        assertThat(second).isSameAs(rest);
        assertThat(hexAndRelease(first) + hexAndRelease(second)).isEqualTo("48656c6c6f");
        reader.release();
    }

    /** The {@code room} bytes in front of {@code buf}'s readable bytes, as hex. */
    private static String roomOf(ByteBuf buf, int room) {
        return ByteBufUtil.hexDump(buf, buf.readerIndex() - room, room);
    }
}
