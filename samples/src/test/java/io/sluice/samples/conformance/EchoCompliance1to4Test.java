package io.sluice.samples.conformance;

import static io.sluice.samples.conformance.WireFrames.BINARY;
import static io.sluice.samples.conformance.WireFrames.CLOSE;
import static io.sluice.samples.conformance.WireFrames.PING;
import static io.sluice.samples.conformance.WireFrames.PONG;
import static io.sluice.samples.conformance.WireFrames.TEXT;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Case groups 1 to 4 of the compliance suite against the websocket-echo sample: every length encoding of text and
 * binary frames (1), pings and unsolicited pongs (2), reserved bits (3) and reserved opcodes (4).
 */
class EchoCompliance1to4Test extends EchoConformance {

    private static final String HELLO = "Hello, world!";

    static Stream<Arguments> lengths() {
        List<Arguments> cases = new ArrayList<>();
        int[] lengths = {0, 125, 126, 127, 128, 65535, 65536};
        for (int type = 1; type <= 2; type++) {
            for (int i = 0; i < lengths.length; i++) {
                cases.add(Arguments.of("1." + type + "." + (i + 1), type == 1 ? TEXT : BINARY, lengths[i], 0));
            }
            // The largest again, written in chops of 997 bytes.
            cases.add(Arguments.of("1." + type + ".8", type == 1 ? TEXT : BINARY, 65536, 997));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {2} bytes, chops of {3}")
    @MethodSource("lengths")
    void echoesMessagesOfEveryLengthEncoding(String id, int opcode, int length, int chop) throws Exception {
        byte[] payload = repeat(opcode == TEXT ? '*' : 0xfe, length);
        assertOk(p -> p.frame(opcode, true, 0, payload, chop),
                Expectation.answers(opcode == TEXT ? Event.text(payload) : Event.binary(payload)));
    }

    static Stream<Arguments> pings() {
        byte[] binary = {0x00, (byte) 0xff, (byte) 0xfe, (byte) 0xfd, (byte) 0xfc, (byte) 0xfb, 0x00, (byte) 0xff};
        return Stream.of(
                Arguments.of("2.1", new byte[0], 0),
                Arguments.of("2.2", utf8(HELLO), 0),
                Arguments.of("2.3", binary, 0),
                Arguments.of("2.4", repeat(0xfe, 125), 0),
                Arguments.of("2.6", repeat(0xfe, 125), 1));
    }

    @ParameterizedTest(name = "{0}: ping of {1}, chops of {2}")
    @MethodSource("pings")
    void answersAPingWithItsPayload(String id, byte[] payload, int chop) throws Exception {
        assertOk(p -> p.frame(PING, true, 0, payload, chop), Expectation.answers(Event.pong(payload)));
    }

    @Test
    void case2_5_failsAPingOf126BytesWith1002() throws Exception {
        assertOk(p -> p.frame(PING, repeat(0xfe, 126)), Expectation.failsWith(1002));
    }

    @Test
    void case2_7_ignoresAnUnsolicitedPong() throws Exception {
        assertOk(p -> p.frame(PONG, new byte[0]), Expectation.answers());
    }

    @Test
    void case2_8_ignoresAnUnsolicitedPongWithPayload() throws Exception {
        assertOk(p -> p.frame(PONG, utf8("unsolicited pong payload")), Expectation.answers());
    }

    @Test
    void case2_9_answersOnlyThePingAfterAnUnsolicitedPong() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.frame(PONG, utf8("unsolicited pong payload"));
            p.frame(PING, utf8("ping payload"));
            p.endBatch();
        }, Expectation.answers(Event.pong("ping payload")));
    }

    @ParameterizedTest(name = "2.{0}: ten pings in a row, chops of {1}")
    @MethodSource("tenPings")
    void answersEachOfTenPingsInOrder(int caseNumber, int chop) throws Exception {
        Event[] pongs = new Event[10];
        for (int i = 0; i < pongs.length; i++) {
            pongs[i] = Event.pong("payload-" + i);
        }
        assertOk(p -> {
            // Unchopped, the ten arrive in one read: the server sees them all before it can answer the first.
            p.beginBatch();
            for (int i = 0; i < 10; i++) {
                p.frame(PING, true, 0, utf8("payload-" + i), chop);
            }
            p.endBatch();
        }, Expectation.answers(pongs));
    }

    static Stream<Arguments> tenPings() {
        return Stream.of(Arguments.of(10, 0), Arguments.of(11, 1));
    }

    @Test
    void case3_1_failsATextFrameWithRsv1WhenNoExtensionWasNegotiated() throws Exception {
        assertOk(p -> p.frame(TEXT, true, 1, utf8(HELLO), 0), Expectation.failsWith(1002));
    }

    static Stream<Arguments> reservedBitsAfterAMessage() {
        return Stream.of(Arguments.of("3.2", 2, false), Arguments.of("3.3", 3, false),
                Arguments.of("3.4", 4, true));
    }

    /** The echo of the message before the bad frame is strictly right; having dropped it is acceptable. */
    @ParameterizedTest(name = "{0}: RSV {1} after a message, each frame on its own: {2}")
    @MethodSource("reservedBitsAfterAMessage")
    void echoesTheMessageBeforeAFrameWithReservedBitsThenFailsWith1002(String id, int rsv, boolean allApart)
            throws Exception {
        assertOk(p -> {
            // As the suite writes them: 3.2 all at once, 3.3 the bad frame flushed with the message, 3.4 each apart.
            if (!allApart) {
                p.beginBatch();
            }
            p.text(HELLO);
            if (allApart) {
                settle();
            }
            p.frame(TEXT, true, rsv, utf8(HELLO), 0);
            if (id.equals("3.3")) {
                p.endBatch();
                settle();
            }
            p.frame(PING, utf8(HELLO));
            if (id.equals("3.2")) {
                p.endBatch();
            }
        }, Expectation.failsWith(1002, Event.text(HELLO)).orNonStrict());
    }

    static Stream<Arguments> reservedBitsOnOtherFrames() {
        byte[] binary = {0x00, (byte) 0xff, (byte) 0xfe, (byte) 0xfd, (byte) 0xfc, (byte) 0xfb, 0x00, (byte) 0xff};
        return Stream.of(Arguments.of("3.5", BINARY, 5, binary), Arguments.of("3.6", PING, 6, utf8(HELLO)),
                Arguments.of("3.7", CLOSE, 7, WireFrames.closePayload(1000, new byte[0])));
    }

    @ParameterizedTest(name = "{0}: opcode {1} with RSV {2}")
    @MethodSource("reservedBitsOnOtherFrames")
    void failsAnyFrameWithReservedBitsWith1002(String id, int opcode, int rsv, byte[] payload) throws Exception {
        assertOk(p -> p.frame(opcode, true, rsv, payload, 0), Expectation.failsWith(1002));
    }

    static Stream<Arguments> reservedOpcodes() {
        return Stream.of(
                Arguments.of("4.1.1", 3, false, false), Arguments.of("4.1.2", 4, true, false),
                Arguments.of("4.1.3", 5, false, true), Arguments.of("4.1.4", 6, true, true),
                Arguments.of("4.1.5", 7, true, true),
                Arguments.of("4.2.1", 11, false, false), Arguments.of("4.2.2", 12, true, false),
                Arguments.of("4.2.3", 13, false, true), Arguments.of("4.2.4", 14, true, true),
                Arguments.of("4.2.5", 15, true, true));
    }

    @ParameterizedTest(name = "{0}: opcode {1}, with payload: {2}, after a message: {3}")
    @MethodSource("reservedOpcodes")
    void failsAReservedOpcodeWith1002(String id, int opcode, boolean withPayload, boolean afterMessage)
            throws Exception {
        Expectation expected = afterMessage ? Expectation.failsWith(1002, Event.text(HELLO)).orNonStrict()
                : Expectation.failsWith(1002);
        assertOk(p -> {
            p.beginBatch();
            if (afterMessage) {
                p.text(HELLO);
            }
            p.frame(opcode, withPayload ? utf8("reserved opcode payload") : new byte[0]);
            if (afterMessage) {
                p.frame(PING, utf8(HELLO));
            }
            p.endBatch();
        }, expected);
    }
}
