package io.sluice.samples.conformance;

import java.util.List;

/**
 * How a scenario ended, as the peer saw it, and the verdict the compliance suite would give it.
 *
 * @param events what the peer observed, in order
 * @param closedByPeer the peer sent the first close frame
 * @param serverCloseCode the code of the server's close frame; null when it sent none or an empty one
 * @param closeFramesExchanged both sides sent a close frame
 * @param serverDroppedTcp the server closed the TCP connection before the peer gave up waiting for it
 * @param violation what the server did wrong on the wire as a peer would reject it (a masked frame, invalid UTF-8
 *        in a text message, a frame after its close), or null
 */
record Outcome(List<Event> events, boolean closedByPeer, Integer serverCloseCode, boolean closeFramesExchanged,
               boolean serverDroppedTcp, String violation) {

    /**
     * The suite's two verdicts, as "behaviour / close behaviour". Behaviour: OK or NON-STRICT when the events are
     * exactly one of the expected lists, else FAILED. Close behaviour, first rule that applies: FAILED when the
     * wrong side started the closing handshake, UNCLEAN when a clean close was required and did not happen, WRONG
     * CODE for a code outside the expected ones, FAILED BY CLIENT when the peer had to drop TCP itself, else OK.
     */
    String verdict(Expectation expected) {
        String behaviour = violation != null ? "FAILED"
                : events.equals(expected.ok()) ? "OK"
                : events.equals(expected.nonStrict()) ? "NON-STRICT"
                : "FAILED";
        String close;
        if (closedByPeer != expected.closedByPeer()) {
            close = "FAILED";
        } else if (expected.requireClean() && !(closeFramesExchanged && serverDroppedTcp)) {
            close = "UNCLEAN";
        } else if (serverCloseCode != null && !expected.codes().contains(serverCloseCode)) {
            close = "WRONG CODE";
            if (expected.wrongCodeFails()) {
                behaviour = "FAILED";
            }
        } else if (!serverDroppedTcp) {
            close = "FAILED BY CLIENT";
        } else {
            close = "OK";
        }
        return behaviour + " / " + close;
    }

    /** Everything needed to understand a failed verdict. */
    String describe(Expectation expected) {
        return "observed " + events + (violation != null ? ", violation: " + violation : "")
                + (closedByPeer ? ", the peer started the closing handshake" : ", the peer did not start closing")
                + ", server close code " + serverCloseCode + ", close frames exchanged " + closeFramesExchanged
                + ", server dropped TCP " + serverDroppedTcp
                + "; expected " + expected.ok() + (expected.nonStrict() != null ? " or " + expected.nonStrict() : "")
                + " and codes " + expected.codes();
    }
}
