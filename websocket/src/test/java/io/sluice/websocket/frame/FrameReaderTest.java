package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.Hex.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.test.SluiceTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RFC 6455 reader, one test per rule: frames are written as commented hex, fed whole or split at every byte
 * boundary, and each violation must fail with its exact close code and message and release what was held (the test
 * kit fails any test that leaks).
 */
class FrameReaderTest {

    private static final int MAX_FRAME = 1 << 20;

    /** A client's reader: server frames arrive unmasked. */
    private static Rfc6455FrameReader clientReader() {
        return new Rfc6455FrameReader(SluiceTest.allocator(), false, false, MAX_FRAME);
    }

    /** A server's reader: client frames arrive masked. */
    private static Rfc6455FrameReader serverReader() {
        return new Rfc6455FrameReader(SluiceTest.allocator(), true, false, MAX_FRAME);
    }

    /** A client's reader with permessage-deflate negotiated. */
    private static Rfc6455FrameReader deflateClientReader() {
        return new Rfc6455FrameReader(SluiceTest.allocator(), false, true, MAX_FRAME);
    }

    private static void feed(FrameReader reader, String hex) {
        reader.feed(Hex.buffer(SluiceTest.allocator(), hex));
    }

    /** Each frame (or piece) the reader yields from {@code hex} fed as one buffer: "opcode fin first last payload". */
    private static List<String> read(FrameReader reader, String hex) throws WebSocketProtocolException {
        feed(reader, hex);
        return drain(reader);
    }

    private static List<String> drain(FrameReader reader) throws WebSocketProtocolException {
        List<String> out = new ArrayList<>();
        Frame f;
        while ((f = reader.poll()) != null) {
            out.add(describe(f));
        }
        return out;
    }

    private static String describe(Frame f) {
        return WebSocketProtocol.opcodeName(f.opcode()) + (f.fin() ? " fin" : "") + (f.rsv1() ? " rsv1" : "")
                + (f.first() ? " first" : "") + (f.last() ? " last" : "") + " " + hexAndRelease(f.payload());
    }

    private static void assertViolation(FrameReader reader, String hex, int code, String message) {
        feed(reader, hex);
        assertThatThrownBy(() -> drain(reader))
                .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> {
                    assertThat(e.closeCode()).isEqualTo(code);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
        assertThat(reader.buffered()).as("held after the violation").isZero();
        feed(reader, "81 00"); // what follows a violation is released, not read
        assertThat(reader.buffered()).isZero();
    }

    // Opcodes

    @Test
    void readsAnUnmaskedTextFrame() throws Exception {
        assertThat(read(clientReader(), "81 05 48656c6c6f")) // text "Hello", final
                .containsExactly("text fin first last 48656c6c6f");
    }

    @Test
    void readsAMaskedTextFrame() throws Exception {
        assertThat(read(serverReader(), "81 85 37fa213d 7f9f4d5158")) // RFC 6455 §5.7: masked "Hello"
                .containsExactly("text fin first last 48656c6c6f");
    }

    @Test
    void readsABinaryFrame() throws Exception {
        assertThat(read(clientReader(), "82 03 010203")) // binary 01 02 03, final
                .containsExactly("binary fin first last 010203");
    }

    @Test
    void readsAFragmentedMessageAsAStartAndContinuations() throws Exception {
        assertThat(read(clientReader(), "01 03 48656c" // text "Hel", not final
                + " 00 01 6c"                              // continuation "l", not final
                + " 80 01 6f"))                            // continuation "o", final
                .containsExactly("text first last 48656c", "continuation first last 6c",
                        "continuation fin first last 6f");
    }

    @Test
    void readsPingPongAndCloseFrames() throws Exception {
        assertThat(read(clientReader(), "89 05 48656c6c6f" // ping "Hello"
                + " 8a 00"                                     // empty pong
                + " 88 02 03e8"))                              // close 1000
                .containsExactly("ping fin first last 48656c6c6f", "pong fin first last ",
                        "close fin first last 03e8");
    }

    @Test
    void readsAMaskedPong() throws Exception {
        assertThat(read(serverReader(), "8a 85 37fa213d 7f9f4d5158")) // RFC 6455 §5.7: masked pong "Hello"
                .containsExactly("pong fin first last 48656c6c6f");
    }

    @Test
    void readsControlFramesBetweenFragments() throws Exception {
        assertThat(read(clientReader(), "01 01 61" // text "a", not final
                + " 89 01 70"                          // ping "p"
                + " 80 01 62"))                        // continuation "b", final
                .containsExactly("text first last 61", "ping fin first last 70", "continuation fin first last 62");
    }

    @Test
    void readsEmptyDataFrames() throws Exception {
        assertThat(read(clientReader(), "01 00" // empty text, not final
                + " 80 00"))                    // empty continuation, final
                .containsExactly("text first last ", "continuation fin first last ");
    }

    // Length encodings

    @Test
    void readsThe7BitLengthUpTo125() throws Exception {
        assertThat(read(clientReader(), "82 7d " + "ab".repeat(125))) // binary, 7-bit length 125
                .containsExactly("binary fin first last " + "ab".repeat(125));
    }

    @Test
    void readsThe16BitLengthFrom126() throws Exception {
        assertThat(read(clientReader(), "82 7e 007e " + "cd".repeat(126))) // binary, 16-bit length 126
                .containsExactly("binary fin first last " + "cd".repeat(126));
    }

    @Test
    void readsThe16BitLengthUpTo65535() throws Exception {
        assertThat(read(clientReader(), "82 7e ffff " + "00".repeat(65535))) // binary, 16-bit length 65535
                .containsExactly("binary fin first last " + "00".repeat(65535));
    }

    @Test
    void readsThe64BitLengthFrom65536() throws Exception {
        assertThat(read(clientReader(), "82 7f 0000000000010000 " + "ef".repeat(65536))) // 64-bit length 65536
                .containsExactly("binary fin first last " + "ef".repeat(65536));
    }

    @Test
    void readsAMasked64BitFrame() throws Exception {
        // binary, masked, 64-bit length 65536, key 00000000 so the payload reads as sent
        assertThat(read(serverReader(), "82 ff 0000000000010000 00000000 " + "5a".repeat(65536)))
                .containsExactly("binary fin first last " + "5a".repeat(65536));
    }

    // Splits

    @Test
    void readsTheSameFramesWhateverTheSplit() throws Exception {
        String stream = "01 83 01020304 49676f"  // masked text "Hel" (key 01020304), not final
                + " 89 81 00000000 70"           // masked ping "p"
                + " 80 fe 0080 a1b2c3d4 " + "00".repeat(128); // masked continuation, 16-bit length 128, final
        byte[] bytes = Hex.bytes(stream);
        for (int split = 1; split < bytes.length; split++) {
            Rfc6455FrameReader reader = serverReader();
            String payloads = readSplit(reader, bytes, split);
            assertThat(payloads).as("split at byte " + split)
                    .isEqualTo("48656c|70|" + "a1b2c3d4".repeat(32));
        }
    }

    @Test
    void readsTheSameFramesOneByteAtATime() throws Exception {
        String stream = "81 85 37fa213d 7f9f4d5158" + " 82 fe 0100 01020304 " + "01020304".repeat(64);
        byte[] bytes = Hex.bytes(stream);
        Rfc6455FrameReader reader = serverReader();
        StringBuilder pieces = new StringBuilder();
        int frames = 0;
        for (byte b : bytes) {
            reader.feed(SluiceTest.allocator().buffer(1).writeByte(b));
            Frame f;
            while ((f = reader.poll()) != null) {
                pieces.append(hexAndRelease(f.payload()));
                frames += f.last() ? 1 : 0;
            }
        }
        assertThat(frames).isEqualTo(2);
        assertThat(pieces.toString()).isEqualTo("48656c6c6f" + "00".repeat(256));
    }

    /** Feeds {@code bytes} in two writes split at {@code split}, and joins the payload of each frame with '|'. */
    private static String readSplit(FrameReader reader, byte[] bytes, int split) throws WebSocketProtocolException {
        StringBuilder out = new StringBuilder();
        for (int[] range : new int[][] {{0, split}, {split, bytes.length}}) {
            reader.feed(SluiceTest.allocator().buffer().writeBytes(bytes, range[0], range[1] - range[0]));
            Frame f;
            while ((f = reader.poll()) != null) {
                boolean last = f.last();
                out.append(hexAndRelease(f.payload()));
                if (last) {
                    out.append('|');
                }
            }
        }
        return out.substring(0, out.length() - 1);
    }

    @Test
    void handsOutDataPayloadAsItArrives() throws Exception {
        Rfc6455FrameReader reader = clientReader();
        assertThat(read(reader, "82 0a 0102")).containsExactly("binary fin first 0102"); // binary, length 10, 2 here
        assertThat(read(reader, "030405")).containsExactly("binary fin 030405");
        assertThat(read(reader, "060708090a 8a00"))
                .containsExactly("binary fin last 060708090a", "pong fin first last ");
    }

    @Test
    void waitsForAWholeControlFrame() throws Exception {
        Rfc6455FrameReader reader = clientReader();
        assertThat(read(reader, "89 05 4865")).isEmpty(); // ping, 2 of 5 bytes
        assertThat(reader.buffered()).isEqualTo(2);
        assertThat(read(reader, "6c6c6f")).containsExactly("ping fin first last 48656c6c6f");
        assertThat(reader.buffered()).isZero();
    }

    @Test
    void readsNothingAfterACloseFrame() throws Exception {
        Rfc6455FrameReader reader = clientReader();
        assertThat(read(reader, "88 00 81 01 61")).containsExactly("close fin first last "); // empty close, then text
        assertThat(reader.closed()).isTrue();
        assertThat(read(reader, "81 01 62")).isEmpty();
        assertThat(reader.buffered()).isZero();
    }

    @Test
    void acceptsRsv1OnTheFirstFrameWithPermessageDeflate() throws Exception {
        assertThat(read(deflateClientReader(), "41 01 aa" // text, RSV1, not final
                + " 80 01 bb"))                                // continuation, final
                .containsExactly("text rsv1 first last aa", "continuation fin first last bb");
    }

    // Violations, each with its close code and message

    @Test
    void failsOnRsv1WithoutANegotiatedExtension() {
        assertViolation(clientReader(), "c1 01 61", 1002, "RSV1 set without a negotiated extension");
    }

    @Test
    void failsOnRsv2() {
        assertViolation(deflateClientReader(), "a1 01 61", 1002, "RSV2 set without a negotiated extension");
    }

    @Test
    void failsOnRsv3() {
        assertViolation(deflateClientReader(), "91 01 61", 1002, "RSV3 set without a negotiated extension");
    }

    @Test
    void failsOnRsv1OnAControlFrame() {
        assertViolation(deflateClientReader(), "c9 00", 1002, "RSV1 set on a control frame"); // ping with RSV1
    }

    @Test
    void failsOnRsv1OnAContinuationFrame() {
        assertViolation(deflateClientReader(), "41 01 aa c0 01 bb", 1002, "RSV1 set on a continuation frame");
    }

    @Test
    void failsOnEveryReservedOpcode() {
        for (int opcode : new int[] {0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf}) {
            assertViolation(clientReader(), String.format("%02x 00", 0x80 | opcode), 1002,
                    "reserved opcode 0x" + Integer.toHexString(opcode));
        }
    }

    @Test
    void failsOnAFragmentedControlFrame() {
        assertViolation(clientReader(), "09 00", 1002, "control frames must be final"); // ping without FIN
    }

    @Test
    void failsOnAControlFrameOver125Bytes() {
        assertViolation(clientReader(), "89 7e 007e " + "00".repeat(126), 1002,
                "control frames must not carry more than 125 bytes");
    }

    @Test
    void failsOnAnUnmaskedClientFrame() {
        assertViolation(serverReader(), "81 05 48656c6c6f", 1002, "client frames must be masked");
    }

    @Test
    void failsOnAMaskedServerFrame() {
        assertViolation(clientReader(), "81 85 37fa213d 7f9f4d5158", 1002, "server frames must not be masked");
    }

    @Test
    void failsOnAContinuationWithoutAMessage() {
        assertViolation(clientReader(), "80 01 61", 1002, "continuation frame without a message to continue");
    }

    @Test
    void failsOnANewMessageInsideAFragmentedOne() {
        assertViolation(clientReader(), "01 01 61 81 01 62", 1002, "new text frame inside a fragmented message");
    }

    @Test
    void failsOnA64BitLengthWithTheTopBitSet() {
        assertViolation(clientReader(), "82 7f 8000000000000000", 1002,
                "64-bit length with the most significant bit set");
    }

    @Test
    void failsOnANonMinimal16BitLength() {
        assertViolation(clientReader(), "82 7e 007d " + "00".repeat(125), 1002,
                "length 125 not in its minimal encoding (16-bit)");
    }

    @Test
    void failsOnANonMinimal64BitLength() {
        assertViolation(clientReader(), "82 7f 000000000000ffff", 1002,
                "length 65535 not in its minimal encoding (64-bit)");
    }

    @Test
    void failsWith1009OnAFrameOverTheLimitBeforeReadingItsPayload() {
        Rfc6455FrameReader reader = new Rfc6455FrameReader(SluiceTest.allocator(), false, false, 100);
        assertViolation(reader, "82 65", 1009, "frame of 101 bytes exceeds the limit of 100 bytes");
    }

    @Test
    void releasesAPartialFrameOnRelease() throws Exception {
        Rfc6455FrameReader reader = clientReader();
        assertThat(read(reader, "89 05 48")).isEmpty();
        reader.release();
        assertThat(reader.buffered()).isZero();
        ByteBuf late = SluiceTest.allocator().buffer().writeByte(0x81);
        reader.feed(late);
        assertThat(late.refCnt()).isZero();
    }
}
