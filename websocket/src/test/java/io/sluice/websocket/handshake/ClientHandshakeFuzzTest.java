package io.sluice.websocket.handshake;

import static io.sluice.websocket.handshake.WirePipe.TIMEOUT;
import static io.sluice.websocket.http.Latin1.latin1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.pipe.Chunking;
import io.sluice.test.Fuzz;
import io.sluice.test.LeakTrackingAllocator;
import io.sluice.test.Mutations;
import io.sluice.test.RandomChunking;
import io.sluice.websocket.FuzzAllocators;
import io.sluice.websocket.http.HeadParser;
import io.sluice.websocket.http.HeadMutations;
import io.sluice.websocket.http.HttpHeadException;
import io.sluice.websocket.http.HttpLimits;
import io.sluice.websocket.http.HttpResponseHead;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole client handshakes over a pipe against a raw server that answers with a random or mutated response and then
 * closes its side. Each ends in a session or a {@link HandshakeException}, nothing else; the same bytes give the same
 * outcome whole and split at random; a session is only made from a 101 whose accept key, upgrade fields and
 * subprotocol check out, and passes on exactly the bytes after the head. No buffer is left behind by any iteration.
 */
class ClientHandshakeFuzzTest {

    private static final String KEY = "AQIDBAUGBwgJCgsMDQ4PEA==";
    private static final String ACCEPT = AcceptKey.accept(KEY);
    private static final List<String> SUBPROTOCOLS = List.of("chat", "superchat");
    private static final ClientHandshake PLAIN = ClientHandshake.builder("ws://server.example.com/chat")
            .random(new FixedKeys()).timeout(TIMEOUT).build();
    private static final ClientHandshake OFFERING = ClientHandshake.builder("ws://server.example.com/chat")
            .subprotocols(SUBPROTOCOLS.toArray(String[]::new)).permessageDeflate(new ClientDeflateOptions(false, false, 10))
            .limits(new HttpLimits(1024, 24)).random(new FixedKeys()).timeout(TIMEOUT).build();
    private static final byte[][] RESPONSES = {
        latin1("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\n\r\n"),
        latin1("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ACCEPT + "\r\nSec-WebSocket-Protocol: chat\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10; "
                + "client_no_context_takeover\r\n\r\n\u0081\u0005hello"),
        latin1("HTTP/1.1 101 \r\nupgrade: WebSocket\r\nconnection: keep-alive, upgrade\r\n"
                + "sec-websocket-accept: " + ACCEPT + "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n"),
        latin1("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n"),
    };

    /** The kit's leak tracking, checked after every iteration (see {@link FuzzAllocators#leakTracking()}). */
    private final LeakTrackingAllocator allocator = FuzzAllocators.leakTracking();

    @Test
    void everyResponseEndsInASessionOrAHandshakeExceptionWholeOrSplitAlike() {
        int count = Fuzz.iterations(40);
        for (long seed : Fuzz.seeds()) {
            SplittableRandom r = Fuzz.random(seed);
            for (int i = 0; i < count; i++) {
                Mutations.Mutant mutant = HeadMutations.next(r, RESPONSES);
                byte[] input = mutant.bytes();
                ClientHandshake client = r.nextBoolean() ? OFFERING : PLAIN;
                long splitSeed = r.nextLong();
                try {
                    String whole = outcome(client, input, Chunking.whole());
                    String split = outcome(client, input, RandomChunking.seeded(splitSeed, 1 + (int) (splitSeed & 63)));
                    assertThat(split).as("the same outcome split as whole").isEqualTo(whole);
                } catch (Throwable t) {
                    throw new AssertionError(Fuzz.describe(seed, i, mutant.how(), input) + ": " + t, t);
                }
            }
        }
    }

    @Test
    void theValidResponsesMakeSessions() throws HttpHeadException {
        for (int i = 0; i < 3; i++) {
            assertThat(outcome(OFFERING, RESPONSES[i], Chunking.everyByte())).startsWith("session");
        }
    }

    /** Runs {@code client} against a server answering {@code input}; describes how it ended. */
    private String outcome(ClientHandshake client, byte[] input, Chunking chunking) throws HttpHeadException {
        WirePipe wire = new WirePipe(chunking, allocator);
        wire.peerReceivesAll().subscribe();
        wire.peerWritesAndShuts(latin1(input));
        String outcome;
        try {
            HandshakeResult result = client.connect(wire.local).block(TIMEOUT);
            String passedOn = result.connection().receive().map(WirePipe::textAndRelease)
                    .reduce("", String::concat).defaultIfEmpty("").block(TIMEOUT);
            result.connection().close();
            checkSession(client, result, input, passedOn);
            outcome = "session " + result.subprotocol() + " " + result.deflate() + " then " + passedOn;
        } catch (HandshakeException e) {
            wire.local.onClose().block(TIMEOUT);
            outcome = "failed: " + e.getMessage();
        }
        wire.closeAndAssertNothingLeaks();
        return outcome;
    }

    /** What a session may be made from, checked on the response's bytes. */
    private void checkSession(ClientHandshake client, HandshakeResult result, byte[] input, String passedOn)
            throws HttpHeadException {
        ByteBuf in = allocator.buffer(input.length).writeBytes(input);
        HeadParser<HttpResponseHead> parser = HeadParser.response(HttpLimits.DEFAULT);
        HttpResponseHead head;
        try {
            head = parser.parse(in);
        } finally {
            in.release();
        }
        assertThat(head).as("a session from an incomplete response").isNotNull();
        assertThat(head.status()).isEqualTo(101);
        assertThat(head.headers().getAll("Sec-WebSocket-Accept")).containsExactly(ACCEPT);
        assertThat(head.headers().containsToken("Upgrade", "websocket")).isTrue();
        assertThat(head.headers().containsToken("Connection", "upgrade")).isTrue();
        List<String> protocols = head.headers().tokens("Sec-WebSocket-Protocol");
        assertThat(protocols).hasSizeLessThanOrEqualTo(1);
        if (client == PLAIN) {
            assertThat(protocols).isEmpty();
            assertThat(head.headers().get("Sec-WebSocket-Extensions")).isNull();
        } else {
            assertThat(SUBPROTOCOLS).containsAll(protocols);
        }
        assertThat(result.response()).isEqualTo(head);
        assertThat(passedOn).isEqualTo(latin1(Arrays.copyOfRange(input, parser.consumed(), input.length)));
    }

    /** Every key is {@link #KEY}, so that responses can carry the right accept before the request is read. */
    private static final class FixedKeys extends SecureRandom {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i + 1);
            }
        }
    }
}
