package io.sluice.websocket;

import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_ABNORMAL;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_NO_STATUS_RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.websocket.frame.Hixie76FrameReader;
import io.sluice.websocket.frame.HixieStreams;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of whole Hixie-76 server sessions over a pipe (see {@link FuzzedSession}): whatever the peer writes
 * (a valid, mutated or random stream), the application receives exactly the text messages {@link SessionModel}
 * predicts, the session sends nothing but its closing handshake ({@code FF 00}, carrying no code, so the code is
 * checked through {@code closeStatusSent()}: 1007 or 1009 as the stream calls for), closes the connection and leaves
 * nothing behind. A failure names the seed and the input.
 */
class Hixie76SessionFuzzTest {

    private static final int ITERATIONS = Fuzz.iterations(16);

    @Test
    void aHixie76ServerSessionDeliversWhatTheFramesHoldThenClosesWithTheCodeTheyCallFor() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                SplittableRandom r = Fuzz.random(seed, i);
                ByteBufAllocator alloc = FuzzAllocators.parent(i);
                WebSocketSettings settings = i % 2 == 0 ? WebSocketSettings.defaults() : FuzzedSession.SMALL;
                byte[] valid = HixieStreams.randomStream(r, settings.maxMessageSize()).bytes();
                byte[] input = switch (i % 3) {
                    case 0 -> valid;
                    case 1 -> Mutations.mutate(r, valid).bytes();
                    default -> Mutations.interestingBytes(r, 64);
                };
                SessionModel model = SessionModel.predict(alloc, new Hixie76FrameReader(alloc,
                        settings.maxMessageSize()), input, settings.maxMessageSize());
                try {
                    FuzzedSession s = FuzzedSession.start(r, alloc,
                            peer -> peer.session(WebSocketRole.SERVER, WebSocketVersion.HIXIE_76, settings), false,
                            FuzzedSession.Output.RAW);
                    FuzzedSession.Sent sent = s.run(input);
                    assertThat(s.app.received).as("messages received").isEqualTo(model.delivered);
                    switch (model.ending) {
                        case VIOLATION -> {
                            assertThat(sent.bytes()).as("bytes sent").isEqualTo("ff00");
                            assertThat(sent.sent().code()).as("closeStatusSent").isEqualTo(model.closeCode);
                            assertThat(sent.received().code()).as("closeStatus").isEqualTo(CLOSE_ABNORMAL);
                        }
                        case PEER_CLOSE -> {
                            assertThat(sent.bytes()).as("bytes sent").isEqualTo("ff00");
                            assertThat(sent.received().code()).as("closeStatus").isEqualTo(CLOSE_NO_STATUS_RECEIVED);
                        }
                        default -> {
                            assertThat(sent.bytes()).as("bytes sent").isIn("", "ff00");
                            assertThat(sent.received().code()).as("closeStatus").isEqualTo(CLOSE_ABNORMAL);
                        }
                    }
                    s.finish();
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.describe(seed, i, "Hixie-76 server session, " + settings + ", "
                            + model, input), t);
                }
            }
        }
    }
}
