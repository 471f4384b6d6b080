package io.sluice.samples.conformance;

import static io.sluice.samples.conformance.WireFrames.TEXT;

import org.junit.jupiter.api.Test;

/** Case group 10 of the compliance suite against the websocket-echo sample: a message auto-fragmented by its sender. */
class EchoCompliance10Test extends EchoConformance {

    @Test
    void case10_1_1_echoesA64KiBTextMessageSentIn1300ByteFragments() throws Exception {
        byte[] text = repeat('*', 65536);
        assertOk(p -> p.message(TEXT, text, 1300), Expectation.answers(Event.text(text)));
    }
}
