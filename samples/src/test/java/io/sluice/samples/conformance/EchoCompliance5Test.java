package io.sluice.samples.conformance;

import static io.sluice.samples.conformance.WireFrames.CONTINUATION;
import static io.sluice.samples.conformance.WireFrames.PING;
import static io.sluice.samples.conformance.WireFrames.PONG;
import static io.sluice.samples.conformance.WireFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Case group 5 of the compliance suite against the websocket-echo sample: fragmented control frames, fragmented
 * messages with pings between their fragments, continuation frames without a message, and a new message inside a
 * fragmented one. Where the suite runs a scenario three ways, frames are written whole, in 1-byte chops, and in
 * 1-byte chops with a pause between frames.
 */
class EchoCompliance5Test extends EchoConformance {

    /** How a scenario's frames are written: whole, chopped, or chopped with a pause between frames. */
    enum Writing {
        WHOLE(0, false), APART(0, true), CHOPPED(1, false), CHOPPED_APART(1, true);

        final int chop;
        final boolean apart;

        Writing(int chop, boolean apart) {
            this.chop = chop;
            this.apart = apart;
        }

        /** Frames written whole reach the server together, in one read, as the suite's unsynchronised writes do. */
        void begin(WirePeer peer) {
            if (this == WHOLE) {
                peer.beginBatch();
            }
        }

        void end(WirePeer peer) {
            if (this == WHOLE) {
                peer.endBatch();
            }
        }

        void frame(WirePeer peer, int opcode, boolean fin, String payload) {
            peer.frame(opcode, fin, 0, utf8(payload), chop);
            if (apart) {
                settle();
            }
        }
    }

    @Test
    void case5_1_failsAFragmentedPingWith1002() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.frame(PING, false, 0, utf8("fragment1"), 0);
            p.frame(CONTINUATION, true, 0, utf8("fragment2"), 0);
            p.endBatch();
        }, Expectation.failsWith(1002));
    }

    @Test
    void case5_2_failsAFragmentedPongWith1002() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.frame(PONG, false, 0, utf8("fragment1"), 0);
            p.frame(CONTINUATION, true, 0, utf8("fragment2"), 0);
            p.endBatch();
        }, Expectation.failsWith(1002));
    }

    static Stream<Arguments> writings(int firstCase) {
        return Stream.of(Arguments.of("5." + firstCase, Writing.WHOLE),
                Arguments.of("5." + (firstCase + 1), Writing.CHOPPED),
                Arguments.of("5." + (firstCase + 2), Writing.CHOPPED_APART));
    }

    static Stream<Arguments> fromCase3() {
        return writings(3);
    }

    static Stream<Arguments> fromCase6() {
        return writings(6);
    }

    static Stream<Arguments> fromCase9() {
        return writings(9);
    }

    static Stream<Arguments> fromCase12() {
        return writings(12);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fromCase3")
    void echoesATextMessageInTwoFragments(String id, Writing writing) throws Exception {
        assertOk(p -> {
            writing.begin(p);
            writing.frame(p, TEXT, false, "fragment1");
            writing.frame(p, CONTINUATION, true, "fragment2");
            writing.end(p);
        }, Expectation.answers(Event.text("fragment1fragment2")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fromCase6")
    void answersAPingBetweenTheFragmentsOfAMessage(String id, Writing writing) throws Exception {
        assertOk(p -> {
            writing.begin(p);
            writing.frame(p, TEXT, false, "fragment1");
            writing.frame(p, PING, true, "ping payload");
            writing.frame(p, CONTINUATION, true, "fragment2");
            writing.end(p);
        }, Expectation.answers(Event.pong("ping payload"), Event.text("fragment1fragment2")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fromCase9")
    void failsAFinalContinuationWithoutAMessageWith1002(String id, Writing writing) throws Exception {
        assertOk(p -> {
            writing.begin(p);
            writing.frame(p, CONTINUATION, true, "non-continuation payload");
            writing.frame(p, TEXT, true, "Hello, world!");
            writing.end(p);
        }, Expectation.failsWith(1002));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fromCase12")
    void failsANonFinalContinuationWithoutAMessageWith1002(String id, Writing writing) throws Exception {
        assertOk(p -> {
            writing.begin(p);
            writing.frame(p, CONTINUATION, false, "non-continuation payload");
            writing.frame(p, TEXT, true, "Hello, world!");
            writing.end(p);
        }, Expectation.failsWith(1002));
    }

    @Test
    void case5_15_echoesAMessageThenFailsAContinuationAfterItsEnd() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.frame(TEXT, false, 0, utf8("fragment1"), 0);
            p.frame(CONTINUATION, true, 0, utf8("fragment2"), 0);
            p.frame(CONTINUATION, false, 0, utf8("fragment3"), 0);
            p.frame(TEXT, true, 0, utf8("fragment4"), 0);
            p.endBatch();
        }, Expectation.failsWith(1002, Event.text("fragment1fragment2")).orNonStrict());
    }

    @ParameterizedTest(name = "5.{0}: a message begun by a continuation with FIN {1}")
    @MethodSource("strayContinuations")
    void failsAMessageBegunByAContinuationWith1002(int caseNumber, boolean firstFin) throws Exception {
        assertOk(p -> {
            p.beginBatch();
            for (int i = 0; i < 2; i++) {
                p.frame(CONTINUATION, firstFin, 0, utf8("fragment1"), 0);
                p.frame(TEXT, false, 0, utf8("fragment2"), 0);
                p.frame(CONTINUATION, true, 0, utf8("fragment3"), 0);
            }
            p.endBatch();
        }, Expectation.failsWith(1002));
    }

    static Stream<Arguments> strayContinuations() {
        return Stream.of(Arguments.of(16, false), Arguments.of(17, true));
    }

    @Test
    void case5_18_failsANewTextFrameInsideAFragmentedMessageWith1002() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.frame(TEXT, false, 0, utf8("fragment1"), 0);
            p.frame(TEXT, true, 0, utf8("fragment2"), 0);
            p.endBatch();
        }, Expectation.failsWith(1002));
    }

    @ParameterizedTest(name = "5.{0}: frames apart: {1}")
    @MethodSource("pingsWhileAMessageArrives")
    void answersEachPingAtOnceWhileAFragmentedMessageArrivesSlowly(int caseNumber, boolean apart) throws Exception {
        Writing writing = apart ? Writing.APART : Writing.WHOLE;
        assertOk(p -> {
            writing.frame(p, TEXT, false, "fragment1");
            writing.frame(p, CONTINUATION, false, "fragment2");
            writing.frame(p, PING, true, "pongme 1!");
            // The first ping is answered at once, not when the message it interrupts is complete: its pong arrives
            // while the rest of the message is still unsent (waited for, bounded, not a fixed pause).
            p.awaitEvents(List.of(Event.pong("pongme 1!")));
            assertThat(p.events()).containsExactly(Event.pong("pongme 1!"));
            writing.frame(p, CONTINUATION, false, "fragment3");
            writing.frame(p, CONTINUATION, false, "fragment4");
            writing.frame(p, PING, true, "pongme 2!");
            writing.frame(p, CONTINUATION, true, "fragment5");
        }, Expectation.answers(Event.pong("pongme 1!"), Event.pong("pongme 2!"),
                Event.text("fragment1fragment2fragment3fragment4fragment5")));
    }

    static Stream<Arguments> pingsWhileAMessageArrives() {
        return Stream.of(Arguments.of(19, false), Arguments.of(20, true));
    }
}
