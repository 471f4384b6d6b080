package io.sluice.websocket;

import static io.sluice.websocket.FuzzedSession.closeCode;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_ABNORMAL;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_NORMAL;
import static io.sluice.websocket.frame.WebSocketProtocol.CLOSE_NO_STATUS_RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.websocket.frame.Rfc6455FrameReader;
import io.sluice.websocket.frame.WireFrames;
import io.sluice.websocket.frame.WireMutations;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of whole RFC 6455 sessions over a pipe (see {@link FuzzedSession}): the peer writes a valid, mutated
 * or random frame stream and shuts its output. Whatever it wrote, the application's {@code receive()} gets exactly
 * the messages {@link SessionModel} predicts and then completes; the session answers pings with pongs, sends at most
 * one close frame, last, with the code the stream calls for (the first violation's 1002, 1007 or 1009; the peer's
 * own code; nothing or the application's 1000 when the input just ends), closes the connection, and leaves nothing
 * behind in either budget. A server application that echoes instead sends back a prefix of those messages. A failure
 * names the seed and the input.
 */
class SessionFuzzTest {

    private static final int ITERATIONS = Fuzz.iterations(16);

    @Test
    void aServerSessionDeliversWhatTheFramesHoldThenClosesWithTheCodeTheyCallFor() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS; i++) {
                runCase(seed, i, true);
            }
        }
    }

    @Test
    void aClientSessionDeliversWhatTheFramesHoldThenClosesWithTheCodeTheyCallFor() {
        for (long seed : Fuzz.seeds()) {
            for (int i = 0; i < ITERATIONS / 2; i++) {
                runCase(seed, i, false);
            }
        }
    }

    private static void runCase(long seed, int i, boolean server) {
        SplittableRandom r = Fuzz.random(seed, i);
        ByteBufAllocator alloc = FuzzAllocators.parent(i);
        // Small limits on even iterations, among them those on the test kit's paranoid allocator (see
        // FuzzAllocators.parent), whose stack trace per buffer access makes long streams slow.
        WebSocketSettings settings = i % 2 == 0 ? FuzzedSession.SMALL : WebSocketSettings.defaults();
        // A server reads masked frames from its client; a client, unmasked ones from its server.
        List<WireFrames.Spec> frames = WireFrames.randomStream(r,
                new WireFrames.Peer(server, false, settings.maxFrameSize()), true);
        byte[] input = switch (i % 6) {
            case 0, 1 -> WireFrames.encode(frames);
            case 2, 3 -> WireMutations.mutate(r, WireFrames.encode(frames)).bytes();
            case 4 -> WireFrames.encode(WireFrames.withBoundaryLength(r, frames, settings.maxFrameSize()));
            default -> Mutations.interestingBytes(r, 64);
        };
        boolean echo = server && r.nextBoolean();
        SessionModel model = SessionModel.predict(alloc, new Rfc6455FrameReader(alloc, server, false,
                settings.maxFrameSize()), input, settings.maxMessageSize());
        String what = (echo ? "echoing " : "reading ") + (server ? "server" : "client") + " session, " + settings
                + ", " + model;
        try {
            FuzzedSession s = FuzzedSession.start(r, alloc,
                    peer -> server ? peer.server(settings, null) : peer.client(settings, null), echo,
                    server ? FuzzedSession.Output.UNMASKED : FuzzedSession.Output.MASKED);
            FuzzedSession.Sent sent = s.run(input);
            assertSentAsModelSays(s, sent, model, echo);
            s.finish();
        } catch (Throwable t) {
            throw new AssertionError(Fuzz.describe(seed, i, what, input), t);
        }
    }

    private static void assertSentAsModelSays(FuzzedSession s, FuzzedSession.Sent sent, SessionModel model,
                                              boolean echo) {
        if (echo) {
            assertThat(model.delivered).as("messages echoed: a prefix of those received")
                    .startsWith(sent.data().toArray(String[]::new));
        } else {
            assertThat(sent.data()).as("data frames sent by an application that sends none").isEmpty();
            assertThat(s.app.received).as("messages received").isEqualTo(model.delivered);
        }
        FuzzedSession.assertPongsAnswerPings(sent.pongs(), model.pings);
        switch (model.ending) {
            case VIOLATION -> {
                assertThat(closeCode(sent.close())).as("the code of the close frame sent").isEqualTo(model.closeCode);
                assertThat(sent.sent()).as("closeStatusSent").isNotNull();
                assertThat(sent.sent().code()).as("closeStatusSent").isEqualTo(model.closeCode);
                assertThat(sent.received().code()).as("closeStatus").isEqualTo(CLOSE_ABNORMAL);
            }
            case PEER_CLOSE -> {
                assertThat(sent.received().code()).as("closeStatus").isEqualTo(model.closeCode);
                if (model.closeCode == CLOSE_NO_STATUS_RECEIVED) {
                    assertThat(sent.close()).as("the answer to a close without a code").isEmpty();
                    assertThat(sent.sent()).as("closeStatusSent").isNull();
                } else {
                    assertThat(closeCode(sent.close())).as("the code of the close frame sent")
                            .isEqualTo(model.closeCode);
                    assertThat(sent.sent().code()).as("closeStatusSent").isEqualTo(model.closeCode);
                }
            }
            default -> {
                assertThat(sent.received().code()).as("closeStatus").isEqualTo(CLOSE_ABNORMAL);
                if (sent.close() != null) {
                    assertThat(closeCode(sent.close())).as("the code of the close frame sent").isEqualTo(CLOSE_NORMAL);
                }
            }
        }
    }
}
