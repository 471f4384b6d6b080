package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import io.sluice.filters.fuzz.Leaks;
import io.sluice.filters.fuzz.SeededCuts;
import io.sluice.filters.fuzz.WarnLines;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.test.TrackedPipes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/**
 * A server-side TLS connection over an in-memory pipe whose peer sends what no client should: random bytes (bare,
 * or inside a plausible handshake record header), or a real ClientHello (captured from real client engines, see
 * {@code src/test/resources/tls/README.md}) with mutations, split at random points; then the peer either ends its
 * side or falls silent.
 *
 * <p>Every input ends in the documented handshake failure: {@code receive()} fails with a
 * {@link TlsHandshakeException} within the handshake timeout (a hang would not end); the connection is closed by
 * the filter; what the server wrote back is whole TLS records, and, unless it answered a ClientHello that survived
 * the mutations, alerts only, none after a fatal one; one WARN line names the connection, except when the peer
 * merely left mid-handshake (logged at debug, as a closed connection is); the engine is released and nothing leaks,
 * per input. Failures name the seed and the input (see {@link Fuzz} to replay one).
 */
class TlsHandshakeFuzzTest {

    private static final int SEEDS = 4;
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(250);
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final String PEER_LEFT = "the peer closed the connection during the TLS handshake";

    /** The JDK's provider is fuzzed most; Bouncy Castle's and OpenSSL's engines with a few inputs per seed. */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void garbageAndMutatedClientHellosEndInAHandshakeFailure(TlsProvider provider) {
        int perSeed = Fuzz.iterations(provider == TlsProvider.JDK ? 12 : 4);
        List<byte[]> hellos = clientHellos();
        TlsDriverSettings settings = TlsDriverSettings.defaults().withHandshakeTimeout(HANDSHAKE_TIMEOUT);
        try (ProviderEngines engines = new ProviderEngines(new ProviderPair(provider, TlsProvider.JDK));
                WarnLines warnings = WarnLines.capture()) {
            TlsEngineSource server = engines.server(s -> s);
            for (long seed : Fuzz.seeds(SEEDS)) {
                SplittableRandom random = Fuzz.random(seed);
                for (int i = 0; i < perSeed; i++) {
                    byte[] input;
                    String what;
                    int kind = random.nextInt(8);
                    if (kind == 0) {
                        input = Mutations.randomBytes(random, 600);
                        what = "random bytes";
                    } else if (kind == 1) {
                        byte[] body = Mutations.randomBytes(random, 300);
                        byte[] header = {22, 3, (byte) (1 + random.nextInt(3)), (byte) (body.length >>> 8),
                            (byte) body.length};
                        input = concat(header, body);
                        what = "random bytes in a handshake record";
                    } else if (kind == 2) {
                        input = hellos.get(random.nextInt(hellos.size()));
                        what = "a real ClientHello";
                    } else {
                        byte[] hello = hellos.get(random.nextInt(hellos.size()));
                        Mutations.Mutant mutant = Mutations.mutate(random, hello);
                        input = mutant.bytes();
                        what = "a ClientHello, mutated: " + mutant.how();
                    }
                    boolean silent = random.nextInt(12) == 0;
                    int maxRead = 1 + random.nextInt(random.nextBoolean() ? 16 : 1024);
                    SeededCuts cuts = SeededCuts.seeded(random.nextLong(), maxRead, 1024);
                    String described = Fuzz.describe(seed, i, provider + " server, " + what + ", reads of at most "
                            + maxRead + ", then " + (silent ? "silence" : "the peer's end"), input);
                    answer(server, settings, input, cuts, silent, warnings, described);
                }
            }
        }
    }

    private static void answer(TlsEngineSource engines, TlsDriverSettings settings, byte[] input, SeededCuts cuts,
            boolean silent, WarnLines warnings, String what) {
        Pipe pipe = TrackedPipes.create(cuts);
        Mono<byte[]> reply = TlsPipe.gather(pipe.left().receive()).cache();
        reply.subscribe(null, e -> { });
        Connection server = Tls.over(engines, settings).apply(pipe.right());
        Mono<Void> received = server.receive().doOnNext(ByteBuf::release).then().cache();
        received.subscribe(null, e -> { });
        ByteBuf bytes = pipe.left().budget().allocator().buffer(Math.max(1, input.length)).writeBytes(input);
        Mono<Void> sent = pipe.left().send(Mono.just(bytes)).onErrorResume(e -> Mono.empty());
        (silent ? sent : sent.then(Mono.fromRunnable(pipe.left()::shutdownOutput))).subscribe();

        Throwable error = null;
        try {
            received.block(BOUND);
        } catch (RuntimeException e) {
            error = reactor.core.Exceptions.unwrap(e);
        }
        if (!(error instanceof TlsHandshakeException)) {
            throw new AssertionError("receive() did not fail with a TlsHandshakeException: " + what, error);
        }
        pipe.right().onClose().block(BOUND); // closed by the filter
        byte[] wire = reply.block(BOUND);
        assertRecords(wire, what);
        closeAndAwait(pipe);
        List<String> lines = warnings.take();
        if (PEER_LEFT.equals(error.getMessage())) {
            assertThat(lines).as("WARN lines when the peer left, for " + what).isEmpty();
        } else {
            assertThat(lines).as("WARN lines for " + what + " (" + error + ")").singleElement().asString()
                    .startsWith("connection pipe-right: TLS handshake failed, closing: ");
        }
        Leaks.assertNone(what);
    }

    /**
     * What the server wrote is whole TLS records; unless it answered with handshake records (a ClientHello that
     * survived), nothing or one fatal alert in the clear.
     */
    private static void assertRecords(byte[] wire, String what) {
        boolean handshake = false;
        int at = 0;
        while (at < wire.length) {
            assertThat(wire.length - at).as("a whole record header at " + at + " of the reply to " + what)
                    .isGreaterThanOrEqualTo(5);
            int type = wire[at] & 0xFF;
            assertThat(type).as("record type at " + at + " of the reply to " + what).isBetween(20, 24);
            assertThat(wire[at + 1]).as("major version at " + at + " of the reply to " + what).isEqualTo((byte) 3);
            int length = (wire[at + 3] & 0xFF) << 8 | wire[at + 4] & 0xFF;
            assertThat(wire.length - at - 5).as("a whole record at " + at + " of the reply to " + what)
                    .isGreaterThanOrEqualTo(length);
            handshake |= type == 22;
            at += 5 + length;
        }
        if (handshake) {
            return;
        }
        // Alerts only, in the clear: a fatal one ends the reply; the JDK ends a handshake it gave up on with two
        // warnings, user_canceled then close_notify.
        for (at = 0; at < wire.length; at += 7) {
            assertThat(wire[at]).as("an alert record at " + at + " of the reply to " + what).isEqualTo((byte) 21);
            assertThat(wire[at + 3] << 8 | wire[at + 4]).as("a two-byte alert at " + at + " of the reply to " + what)
                    .isEqualTo(2);
            if (wire[at + 5] == 2) {
                assertThat(wire.length).as("the fatal alert at " + at + " ends the reply to " + what)
                        .isEqualTo(at + 7);
            }
        }
    }

    /** The ClientHellos of {@code client-hellos.txt}: one record each, as real clients sent them. */
    static List<byte[]> clientHellos() {
        try {
            return Files.readAllLines(Fixtures.file("client-hellos.txt")).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> HexFormat.of().parseHex(l.substring(l.indexOf(' ') + 1).trim()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void closeAndAwait(Pipe pipe) {
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(BOUND);
    }
}
