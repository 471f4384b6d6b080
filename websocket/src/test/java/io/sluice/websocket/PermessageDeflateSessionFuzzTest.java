package io.sluice.websocket;

import static io.sluice.websocket.FuzzedSession.closeCode;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_ABNORMAL;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_INVALID_PAYLOAD;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_MESSAGE_TOO_BIG;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_NORMAL;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_NO_STATUS_RECEIVED;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.websocket.frame.WebSocketProtocol;
import io.sluice.websocket.frame.WireFrames;
import io.sluice.websocket.frame.WireMutations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of whole server sessions with permessage-deflate over a pipe (see {@link FuzzedSession}), with and
 * without the client's context takeover: a valid stream of messages, compressed by the JDK's {@link Deflater} or
 * sent plain, fragmented to the frame limit, must be delivered exactly and end as its close says; a mutated one must
 * end with a close of 1002, 1007 or 1009 (or the peer's own code echoed, or the application's 1000), with
 * {@code receive()} completed and nothing left behind. A failure names the seed and the input.

 */
class PermessageDeflateSessionFuzzTest {

    private static final int ITERATIONS = Fuzz.iterations(6);

    @Test
    void aServerSessionInflatesValidMessagesExactlyAndClosesWith1002Or1007Or1009OnMutatedOnes() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                ByteBufAllocator alloc = FuzzAllocators.parent(i);
                // Small limits on even iterations, among them those on the test kit's paranoid allocator (see
                // FuzzAllocators.parent), whose stack trace per buffer access makes long streams slow.
                WebSocketSettings settings = i % 2 == 0 ? FuzzedSession.SMALL : WebSocketSettings.defaults();
                boolean takeover = r.nextBoolean();
                DeflatedStream stream = DeflatedStream.random(r, settings, takeover);
                boolean valid = i % 3 == 0;
                byte[] input = valid ? stream.bytes() : WireMutations.mutate(r, stream.bytes()).bytes();
                try {
                    FuzzedSession s = FuzzedSession.start(r, alloc,
                            peer -> peer.server(settings, new PerMessageDeflate(false, !takeover, 15, 15)), false,
                            FuzzedSession.Output.UNMASKED);
                    FuzzedSession.Sent sent = s.run(input);
                    assertThat(sent.data()).as("data frames sent by an application that sends none").isEmpty();
                    if (valid) {
                        assertEndsAsTheStreamSays(s, sent, stream);
                    } else if (sent.close() != null && !sent.close().isEmpty()) {
                        assertThat(closeCode(sent.close())).as("the code of the close frame sent")
                                .isIn(CLOSE_PROTOCOL_ERROR, CLOSE_INVALID_PAYLOAD, CLOSE_MESSAGE_TOO_BIG, CLOSE_NORMAL,
                                        sent.received().code());
                    }
                    s.finish();
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.describe(seed, i, (valid ? "" : "mutated ")
                            + "permessage-deflate stream, context takeover " + takeover + ", " + settings, input), t);
                }
            }
        }
    }

    private static void assertEndsAsTheStreamSays(FuzzedSession s, FuzzedSession.Sent sent, DeflatedStream stream) {
        assertThat(s.app.received).as("messages received").isEqualTo(stream.messages());
        assertThat(sent.received().code()).as("closeStatus").isEqualTo(stream.peerClose());
        if (stream.peerClose() == CLOSE_NO_STATUS_RECEIVED) {
            assertThat(sent.close()).as("the answer to a close without a code").isEmpty();
        } else if (stream.peerClose() != CLOSE_ABNORMAL) {
            assertThat(closeCode(sent.close())).as("the code of the close frame sent").isEqualTo(stream.peerClose());
        }
    }

    /**
     * A client's valid permessage-deflate stream: messages compressed or not, pings between, a close or not; the
     * messages as the application must receive them, and the code it must see (1006 without a close).
     */
    private record DeflatedStream(byte[] bytes, List<String> messages, int peerClose) {

        static DeflatedStream random(SplittableRandom r, WebSocketSettings settings, boolean takeover) {
            WireFrames.Peer peer = new WireFrames.Peer(true, true, settings.maxFrameSize());
            int maxMessage = (int) Math.min(settings.maxMessageSize(), 3_000);
            List<WireFrames.Spec> frames = new ArrayList<>();
            List<String> messages = new ArrayList<>();
            Deflater deflater = new Deflater(r.nextInt(10), true);
            try {
                int count = 1 + r.nextInt(5);
                for (int m = 0; m < count; m++) {
                    boolean text = r.nextBoolean();
                    byte[] message = text ? WireFrames.utf8(r, maxMessage)
                            : r.nextBoolean() ? Mutations.randomBytes(r, maxMessage)
                            : "sluice ".repeat(1 + r.nextInt(maxMessage / 7)).getBytes(StandardCharsets.UTF_8);
                    boolean compress = r.nextInt(4) > 0;
                    byte[] payload = message;
                    if (compress) {
                        if (!takeover) {
                            deflater.reset();
                        }
                        payload = WireFrames.deflated(deflater, message);
                    }
                    frames.addAll(WireFrames.message(r, peer, compress ? 4 : 0,
                            text ? WebSocketProtocol.OPCODE_TEXT : WebSocketProtocol.OPCODE_BINARY, payload));
                    messages.add(SessionModel.describe(text ? WebSocketMessage.Type.TEXT : WebSocketMessage.Type.BINARY,
                            ByteBufUtil.hexDump(message)));
                    if (r.nextInt(4) == 0) {
                        frames.add(WireFrames.frame(r, peer, true, 0, WebSocketProtocol.OPCODE_PING,
                                Mutations.randomBytes(r, 125)));
                    }
                }
            } finally {
                deflater.end();
            }
            int peerClose = CLOSE_ABNORMAL;
            if (r.nextBoolean()) {
                byte[] close = WireFrames.closePayload(r);
                frames.add(WireFrames.frame(r, peer, true, 0, WebSocketProtocol.OPCODE_CLOSE, close));
                peerClose = close.length == 0 ? CLOSE_NO_STATUS_RECEIVED : ((close[0] & 0xff) << 8) | (close[1] & 0xff);
            }
            return new DeflatedStream(WireFrames.encode(frames), messages, peerClose);
        }
    }
}
