package io.sluice.samples.conformance;

import static io.sluice.samples.conformance.WireFrames.CLOSE;
import static io.sluice.samples.conformance.WireFrames.CONTINUATION;
import static io.sluice.samples.conformance.WireFrames.PING;
import static io.sluice.samples.conformance.WireFrames.TEXT;
import static io.sluice.samples.conformance.WireFrames.closePayload;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Case group 7 of the compliance suite against the websocket-echo sample: the closing handshake. Frames after the
 * peer's close are ignored (sent with the close in one write), close payloads of every shape are answered (echoed
 * code, or 1002/1007 for a payload that may not be sent), and the server, not the client, drops the TCP connection
 * once the handshake is done.
 */
class EchoCompliance7CloseTest extends EchoConformance {

    private static final Expectation CLEAN_1000 = Expectation.closeAnsweredWith(true, 1000);

    @Test
    void case7_1_1_echoesAMessageThenClosesCleanly() throws Exception {
        assertOk(p -> p.text("Hello World!"), Expectation.answers(Event.text("Hello World!")));
    }

    @Test
    void case7_1_2_ignoresASecondCloseFrame() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.close(1000);
            p.frame(CLOSE, closePayload(1000, new byte[0]));
            p.endBatch();
        }, CLEAN_1000);
    }

    @Test
    void case7_1_3_ignoresAPingAfterTheClose() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.close(1000);
            p.frame(PING, utf8("payload"));
            p.endBatch();
        }, CLEAN_1000);
    }

    @Test
    void case7_1_4_ignoresATextMessageAfterTheClose() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.close(1000);
            p.text("Hello World!");
            p.endBatch();
        }, CLEAN_1000);
    }

    @Test
    void case7_1_5_ignoresTheRestOfAMessageCutByTheClose() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.frame(TEXT, false, 0, utf8("fragment1"), 0);
            p.close(1000);
            p.frame(CONTINUATION, true, 0, utf8("fragment2"), 0);
            p.endBatch();
        }, CLEAN_1000);
    }

    /**
     * 7.1.6 is informational in the suite (what is echoed of a large message sent right before the close depends on
     * the implementation); here, whatever is echoed must be a whole message sent before the close, in order, and the
     * closing handshake must still complete cleanly.
     */
    @Test
    void case7_1_6_closesCleanlyAfterALargeMessageSentRightBeforeTheClose() throws Exception {
        byte[] large = new byte[256 << 10];
        byte[] pattern = utf8("BAsd7&jh23");
        for (int i = 0; i < large.length; i++) {
            large[i] = pattern[i % pattern.length];
        }
        Outcome outcome;
        Expectation closeOnly = Expectation.closeAnsweredWith(true, 1000);
        try (WirePeer p = connect()) {
            p.beginBatch();
            p.frame(TEXT, large);
            p.text("Hello World!");
            p.close(1000);
            p.frame(PING, new byte[0]);
            p.endBatch();
            outcome = p.finish(closeOnly);
        }
        assertThat(outcome.verdict(closeOnly)).as(outcome.describe(closeOnly)).endsWith("/ OK");
        assertThat(List.of(Event.text(large), Event.text("Hello World!"))).startsWith(
                outcome.events().toArray(Event[]::new));
    }

    @Test
    void case7_3_1_answersAnEmptyCloseFrameWithAnEmptyOne() throws Exception {
        assertOk(p -> p.close(new byte[0]), CLEAN_1000);
    }

    @Test
    void case7_3_2_answersACloseFrameOfOneByteWith1002() throws Exception {
        assertOk(p -> p.close(utf8("a")), Expectation.closeAnsweredWith(false, 1002));
    }

    @ParameterizedTest(name = "7.3.{0}: 1000 with a reason of {1} bytes")
    @MethodSource("reasons")
    void echoesACloseWithAReasonThatFitsAControlFrame(int caseNumber, byte[] reason) throws Exception {
        assertOk(p -> p.close(closePayload(1000, reason)), CLEAN_1000);
    }

    static Stream<Arguments> reasons() {
        return Stream.of(Arguments.of(3, new byte[0]), Arguments.of(4, utf8("Hello World!")),
                Arguments.of(5, repeat('*', 123)));
    }

    @Test
    void case7_3_6_answersACloseWhoseReasonMakesTheFrameTooLongWith1002() throws Exception {
        assertOk(p -> p.close(closePayload(1000, repeat('*', 124))), Expectation.closeAnsweredWith(false, 1002));
    }

    @Test
    void case7_5_1_answersACloseWithAReasonThatIsNotUtf8With1007() throws Exception {
        byte[] reason = Utf8Samples.hex("cebae1bdb9cf83cebcceb5eda080656469746564");
        assertOk(p -> p.close(closePayload(1000, reason)), Expectation.closeAnsweredWith(false, 1002, 1007));
    }

    @ParameterizedTest(name = "7.7: close code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    void echoesAValidCloseCode(int code) throws Exception {
        assertOk(p -> p.close(code), Expectation.closeAnsweredWith(true, 1000, code));
    }

    @ParameterizedTest(name = "7.9: close code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999})
    void answersACloseCodeThatMayNotBeSentWith1002(int code) throws Exception {
        assertOk(p -> p.close(code), Expectation.closeAnsweredWith(false, 1002));
    }

    /** 7.13 is informational in the suite: any of these answers is fine, and the server must still close. */
    @ParameterizedTest(name = "7.13: close code {0}")
    @ValueSource(ints = {5000, 65535})
    void answersACloseCodeBeyondTheRegistryWithAClose(int code) throws Exception {
        assertOk(p -> p.close(code), Expectation.closeAnsweredWith(false, 1000, code, 1002));
    }
}
