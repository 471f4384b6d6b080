package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What runs on an event loop does not block (BlockHound, on in every test, fails the test otherwise). These run on
 * Reactor's parallel threads, which BlockHound watches like event loops.
 */
class NonBlockingTest {

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void enginesAreMadeWithoutBlocking(TlsProvider provider) {
        try (TlsContext server = Fixtures.server(provider, s -> s.keyMaterial(Fixtures.SERVER_RSA)
                .sni("a.example", Fixtures.pem("a-example")).applicationProtocols("h2"));
                TlsContext client = Fixtures.client(provider, c -> c.keyMaterial(Fixtures.CLIENT))) {
            SSLEngine[] engines = onNonBlockingThread(() -> new SSLEngine[] {
                server.newEngine(Fixtures.fromClient()), client.newEngine(Fixtures.toServer("localhost"))});
            try {
                assertThat(engines[0].getUseClientMode()).isFalse();
                assertThat(engines[1].getUseClientMode()).isTrue();
            } finally {
                Arrays.stream(engines).forEach(ReferenceCountUtil::release);
            }
        }
    }

    static Stream<Arguments> nonJdkPairs() {
        TlsProvider[] providers = {TlsProvider.BOUNCY_CASTLE, TlsProvider.OPENSSL};
        return Stream.of(providers).flatMap(server -> Stream.of(providers).map(client -> Arguments.of(server, client)));
    }

    /**
     * Bouncy Castle and OpenSSL handshakes with EC keys draw no randomness from a file once the context is made: their
     * randomness is the context's {@link HandshakeRandom}. Outside this test's reach, the JDK reads
     * {@code /dev/urandom} through its default SecureRandom (refilled every 100 ms) in SunJSSE's signatures and in
     * every RSA private-key operation's blinding (once per key, again after the key's cache entry is collected), and
     * initializes its certificate path checks from a file once per JVM: a first handshake on the test thread takes
     * care of the last.
     */
    @ParameterizedTest(name = "{0} server, {1} client")
    @MethodSource("nonJdkPairs")
    void bouncyCastleAndOpenSslHandshakesWithEcKeysDoNotBlock(TlsProvider serverProvider, TlsProvider clientProvider) {
        try (TlsContext server = Fixtures.server(TlsProvider.JDK, s -> s.keyMaterial(Fixtures.SERVER_RSA));
                TlsContext client = Fixtures.client(TlsProvider.JDK, c -> c);
                EnginePair warmUp = Fixtures.handshake(client, server)) {
            assertThat(warmUp.succeeded()).isTrue();
        }
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (TlsContext server = Fixtures.server(serverProvider, s -> s.keyMaterial(Fixtures.SERVER_EC)
                    .clientAuth(ClientAuth.OPTIONAL).trust(Fixtures.CA));
                    TlsContext client = Fixtures.client(clientProvider,
                            c -> c.keyMaterial(Fixtures.CLIENT).protocols(protocol))) {
                for (int i = 0; i < 3; i++) {
                    assertThat(onNonBlockingThread(() -> {
                        try (EnginePair pair = Fixtures.handshake(client, server)) {
                            byte[] data = "on a parallel thread".getBytes();
                            return pair.succeeded() && Arrays.equals(pair.send(pair.client, data), data);
                        }
                    })).as(protocol).isTrue();
                }
            }
        }
    }

    private static <T> T onNonBlockingThread(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(30));
    }
}
