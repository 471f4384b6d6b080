package io.sluice.samples.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a scenario expects, in the terms the compliance suite's fuzzing client judges a case by: the events that make
 * it strictly right ({@code ok}), those still acceptable ({@code nonStrict}, null when there are none), which side
 * must start the closing handshake, the close codes the server may send, and whether the closing handshake must
 * complete with the server dropping TCP ({@code requireClean}).
 *
 * @param wrongCodeFails whether a close code outside {@code codes} fails the case itself, not only its close
 */
record Expectation(List<Event> ok, List<Event> nonStrict, boolean closedByPeer, Set<Integer> codes,
                   boolean requireClean, boolean wrongCodeFails) {

    /** The server echoes (or answers) exactly {@code events}; the peer then closes with 1000, cleanly. */
    static Expectation answers(Event... events) {
        return new Expectation(List.of(events), null, true, Set.of(1000), true, false);
    }

    /** The server fails the connection with one of {@code codes} after sending exactly {@code events}. */
    static Expectation failsWith(int code, Event... events) {
        return new Expectation(List.of(events), null, false, Set.of(code), false, false);
    }

    /**
     * The peer starts the closing handshake (with a close frame of its own making) and the server answers with one
     * of {@code codes}; a wrong code fails the case, as the suite's close-code cases do.
     */
    static Expectation closeAnsweredWith(boolean requireClean, int... codes) {
        return new Expectation(List.of(), null, true, Arrays.stream(codes).boxed().collect(Collectors.toSet()),
                requireClean, true);
    }

    /** The same, and {@code events} are acceptable but not strictly right. */
    Expectation orNonStrict(Event... events) {
        return new Expectation(ok, List.of(events), closedByPeer, codes, requireClean, wrongCodeFails);
    }
}
