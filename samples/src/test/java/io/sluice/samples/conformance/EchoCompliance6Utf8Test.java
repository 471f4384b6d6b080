package io.sluice.samples.conformance;

import static io.sluice.samples.conformance.Utf8Samples.KOSME;
import static io.sluice.samples.conformance.Utf8Samples.hex;
import static io.sluice.samples.conformance.WireFrames.CONTINUATION;
import static io.sluice.samples.conformance.WireFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Case group 6 of the compliance suite against the websocket-echo sample: empty fragments, valid text split inside
 * code points, invalid text refused with 1007 wherever the bad byte falls (in one frame, split over 1-byte frames,
 * and while a frame is still arriving: the server must fail at the bad byte, not at the end of the message), and
 * the table of valid and invalid sequences.
 */
class EchoCompliance6Utf8Test extends EchoConformance {

    private static final String HELLO = "Hello-µ@ßöäüàá-UTF-8!!";
    /** κόσμε, a code point above U+10FFFF (invalid at its second byte, the message's 13th), then "edited". */
    private static final byte[] INVALID_AT_13 = concat(KOSME, hex("f4908080"), hex("656469746564"));
    /** The pause in which the server must not fail: the text is valid so far. */
    private static final Duration VALID_SO_FAR = Duration.ofMillis(200);
    /**
     * The longest the server may take to fail once the bad byte is sent. It takes milliseconds (the suite allows
     * 1 s); the pause ends as soon as the server closes, and the rest of the message is sent only after it, so a
     * longer bound keeps the check (a server failing at the end of the message is still caught) on a loaded machine.
     */
    private static final Duration FAIL_FAST = Duration.ofSeconds(10);

    @Test
    void case6_1_1_echoesAnEmptyTextMessage() throws Exception {
        assertOk(p -> p.text(""), Expectation.answers(Event.text("")));
    }

    @Test
    void case6_1_2_echoesATextMessageOfThreeEmptyFragments() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.frame(TEXT, false, 0, new byte[0], 0);
            p.frame(CONTINUATION, false, 0, new byte[0], 0);
            p.frame(CONTINUATION, true, 0, new byte[0], 0);
            p.endBatch();
        }, Expectation.answers(Event.text("")));
    }

    @Test
    void case6_1_3_echoesATextMessageWhoseFirstAndLastFragmentsAreEmpty() throws Exception {
        assertOk(p -> {
            p.beginBatch();
            p.frame(TEXT, false, 0, new byte[0], 0);
            p.frame(CONTINUATION, false, 0, utf8("middle frame payload"), 0);
            p.frame(CONTINUATION, true, 0, new byte[0], 0);
            p.endBatch();
        }, Expectation.answers(Event.text("middle frame payload")));
    }

    @Test
    void case6_2_1_echoesValidTextInOneFrame() throws Exception {
        assertOk(p -> p.text(HELLO), Expectation.answers(Event.text(HELLO)));
    }

    @Test
    void case6_2_2_echoesValidTextInTwoFragmentsSplitBetweenCodePoints() throws Exception {
        assertOk(p -> {
            p.frame(TEXT, false, 0, utf8("Hello-µ@ßöä"), 0);
            p.frame(CONTINUATION, true, 0, utf8("üàá-UTF-8!!"), 0);
        }, Expectation.answers(Event.text(HELLO)));
    }

    static Stream<Arguments> oneByteFragments() {
        return Stream.of(Arguments.of("6.2.3", utf8(HELLO)), Arguments.of("6.2.4", KOSME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneByteFragments")
    void echoesValidTextInOneByteFragmentsSplittingCodePoints(String id, byte[] text) throws Exception {
        assertOk(p -> p.message(TEXT, text, 1), Expectation.answers(Event.text(text)));
    }

    static Stream<Arguments> invalidWhole() {
        return Stream.of(Arguments.of("6.3.1", 0), Arguments.of("6.3.2", 1));
    }

    @ParameterizedTest(name = "{0}: fragments of {1} (0: one frame)")
    @MethodSource("invalidWhole")
    void failsInvalidTextWith1007(String id, int fragmentSize) throws Exception {
        byte[] surrogate = concat(KOSME, hex("eda080"), hex("656469746564"));
        assertOk(p -> p.message(TEXT, surrogate, fragmentSize == 0 ? surrogate.length : fragmentSize),
                Expectation.failsWith(1007));
    }

    /**
     * 6.4.1 and 6.4.2: three frames, a pause after the first two; the server must fail in the second pause at the
     * latest (strictly, as soon as the second frame arrives).
     */
    @ParameterizedTest(name = "6.4.{0}: the second frame ends at byte {1}")
    @MethodSource("failFastSplits")
    void failsAtTheFrameThatMakesTheTextInvalid(int caseNumber, int firstEnd, int secondEnd) throws Exception {
        assertOk(p -> {
            p.frame(TEXT, false, 0, Arrays.copyOfRange(INVALID_AT_13, 0, firstEnd), 0);
            if (p.pause("A", VALID_SO_FAR)) {
                p.frame(CONTINUATION, false, 0, Arrays.copyOfRange(INVALID_AT_13, firstEnd, secondEnd), 0);
                if (p.pause("B", FAIL_FAST)) {
                    p.frame(CONTINUATION, true, 0,
                            Arrays.copyOfRange(INVALID_AT_13, secondEnd, INVALID_AT_13.length), 0);
                }
            }
        }, Expectation.failsWith(1007, Event.stillOpen("A")).orNonStrict(Event.stillOpen("A"), Event.stillOpen("B")));
    }

    /**
     * 6.4.3 and 6.4.4: one frame whose payload arrives in three parts with pauses between: the server must fail
     * while the frame is still arriving.
     */
    @ParameterizedTest(name = "6.4.{0}: the second part ends at byte {1}")
    @MethodSource("failFastSplitsInOneFrame")
    void failsInsideAFrameAtThePartThatMakesTheTextInvalid(int caseNumber, int firstEnd, int secondEnd)
            throws Exception {
        assertOk(p -> {
            WirePeer.PartialFrame frame = p.begin(TEXT, true, INVALID_AT_13.length);
            frame.part(Arrays.copyOfRange(INVALID_AT_13, 0, firstEnd));
            if (p.pause("A", VALID_SO_FAR)) {
                frame.part(Arrays.copyOfRange(INVALID_AT_13, firstEnd, secondEnd));
                if (p.pause("B", FAIL_FAST)) {
                    frame.part(Arrays.copyOfRange(INVALID_AT_13, secondEnd, INVALID_AT_13.length));
                }
            }
        }, Expectation.failsWith(1007, Event.stillOpen("A")).orNonStrict(Event.stillOpen("A"), Event.stillOpen("B")));
    }

    static Stream<Arguments> failFastSplits() {
        return Stream.of(Arguments.of(1, 11, 15), Arguments.of(2, 12, 13));
    }

    static Stream<Arguments> failFastSplitsInOneFrame() {
        return Stream.of(Arguments.of(3, 11, 15), Arguments.of(4, 12, 13));
    }

    /** The samples by group (6.5 to 6.23): one connection per sample, one test per group to keep the run short. */
    static Stream<Arguments> sampleGroups() {
        Map<String, List<Utf8Samples.Sample>> groups = Utf8Samples.all().stream().collect(Collectors.groupingBy(
                s -> s.id().substring(0, s.id().lastIndexOf('.')), LinkedHashMap::new, Collectors.toList()));
        return groups.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleGroups")
    void echoesValidTextAndFailsInvalidTextWith1007(String group, List<Utf8Samples.Sample> samples) throws Exception {
        Map<String, String> verdicts = new LinkedHashMap<>();
        for (Utf8Samples.Sample sample : samples) {
            // The table itself is checked against the JDK's strict decoder, so that a typo cannot turn a case round.
            assertThat(strictlyDecodes(sample.bytes())).as("the JDK's verdict on %s", sample)
                    .isEqualTo(sample.valid());
            verdicts.put(sample.toString(), judge(p -> p.frame(TEXT, sample.bytes()),
                    sample.valid() ? Expectation.answers(Event.text(sample.bytes())) : Expectation.failsWith(1007)));
        }
        assertThat(verdicts).allSatisfy((sample, verdict) -> assertThat(verdict).as(sample).isEqualTo(OK));
    }

    private static boolean strictlyDecodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(b -> b.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
