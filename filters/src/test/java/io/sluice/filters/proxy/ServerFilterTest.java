package io.sluice.filters.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.pipe.Chunking;
import io.sluice.filters.fuzz.WarnLines;
import io.sluice.test.FaultSweep;
import io.sluice.test.TestEventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** How the server filter behaves around the header: demand, timing, sends, trust, and its lifetime's ends. */
class ServerFilterTest {

    @RegisterExtension
    final TestEventLoop loop = TestEventLoop.start();

    private static final byte[] HEADER = "PROXY TCP4 192.0.2.7 198.51.100.1 3456 443\r\n".getBytes(US_ASCII);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 3456);

    private static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }

    private static byte[] withData(String data) {
        return ServerV2Test.concat(HEADER, bytes(data));
    }

    @Test
    void passesOnTheReadHoldingTheHeadersEndItselfNotACopy() {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        List<ByteBuf> fromBelow = new CopyOnWriteArrayList<>();
        Connection watched = new ConnectionLayer(p.lower) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().doOnNext(fromBelow::add);
            }
        };
        Connection upper = ProxyProtocolServer.defaults().apply(watched);
        p.peerWrites(withData("hello"));

        StepVerifier.create(upper.receive().take(1))
                .assertNext(b -> {
                    assertThat(b).isSameAs(fromBelow.get(0));
                    assertThat(b.toString(US_ASCII)).isEqualTo("hello");
                    b.release();
                })
                .verifyComplete();
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void passesEveryByteAfterTheHeaderWhereverTheReadsSplitIt() {
        byte[] input = withData("GET / HTTP/1.1\r\n\r\n");
        for (int cut = 1; cut < input.length; cut++) {
            final int at = cut;
            Chunking twoReads = new Chunking() {
                private int delivered;

                @Override
                public int next(int remaining) {
                    int n = delivered < at ? at - delivered : remaining;
                    delivered += n;
                    return n;
                }
            };
            ProxyPipe.Outcome o = ProxyPipe.run(ProxyProtocolServer.defaults(), input, twoReads);
            assertThat(o.error()).as("cut at " + cut).isNull();
            assertThat(new String(o.data(), US_ASCII)).as("cut at " + cut).isEqualTo("GET / HTTP/1.1\r\n\r\n");
            assertThat(o.info().remoteAddress()).as("cut at " + cut).isEqualTo(CLIENT);
        }
    }

    @Test
    void readsTheHeaderBeforeTheApplicationReadsAndNothingMoreUntilItDoes() {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        List<Long> requests = new CopyOnWriteArrayList<>();
        Connection recorded = new ConnectionLayer(p.lower) {
            @Override
            public Flux<ByteBuf> receive() {
                return lower.receive().doOnRequest(requests::add);
            }
        };
        Connection upper = ProxyProtocolServer.defaults().apply(recorded);
        p.peerWrites(HEADER);
        p.peerWrites(bytes("first"));
        p.peerWrites(bytes("second"));

        assertThat(ProxyProtocol.awaitHeader(upper).block(ProxyPipe.WAIT).remoteAddress()).isEqualTo(CLIENT);
        assertThat(requests).as("one read for the header, none for the data nobody asked for").containsExactly(1L);

        StepVerifier.create(upper.receive().map(ServerFilterTest::text), 1)
                .expectNext("first")
                .thenRequest(1)
                .expectNext("second")
                .thenCancel()
                .verify(ProxyPipe.WAIT);
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void deliversWhatArrivedBeforeTheApplicationSubscribed() {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        Connection upper = ProxyProtocolServer.defaults().apply(p.lower);
        p.peerWritesAndShuts(withData("early"));
        ProxyProtocol.awaitHeader(upper).block(ProxyPipe.WAIT);

        ProxyPipe.Outcome o = p.readAll(upper);
        assertThat(o.data()).isEqualTo(bytes("early"));
        assertThat(o.error()).isNull();
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void releasesWhatNobodyReadWhenTheConnectionCloses() {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        Connection upper = ProxyProtocolServer.defaults().apply(p.lower);
        p.peerWrites(withData("never read"));
        ProxyProtocol.awaitHeader(upper).block(ProxyPipe.WAIT);

        upper.close(); // as the runtime does when the handler ends
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesAPeerThatStopsMidHeaderOnceTheTimeoutPasses() throws Exception {
        // 1 s: long enough that the first bytes surely arrive before it runs out, even on a loaded machine.
        ProxyProtocolServer filter = ProxyProtocolServer.builder().headerTimeout(Duration.ofSeconds(1)).build();
        ProxyPipe p = new ProxyPipe(Chunking.everyByte());
        try (WarnLines warnings = WarnLines.capture()) {
            Connection upper = loop.call(() -> filter.apply(p.lower)); // applied on "its" loop, as the runtime does
            p.peerWrites(bytes("PROXY "));

            AtomicReference<String> failedOn = new AtomicReference<>();
            StepVerifier.create(upper.receive().doOnError(e -> failedOn.set(Thread.currentThread().getName())))
                    .expectErrorMessage("no complete PROXY protocol header within 1000 ms (6 byte(s) received)")
                    .verify(ProxyPipe.WAIT);
            assertThat(failedOn.get()).as("the timer fires on the connection's loop").isEqualTo(loop.threadName());
            assertThat(warnings.take()).singleElement().asString()
                    .contains("refusing the connection from /10.0.0.1:40000: no complete PROXY protocol header");
            StepVerifier.create(p.peer.receive()).verifyComplete(); // closed, nothing written back
        }
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void sendsWaitForTheHeaderSoNothingReachesAPeerNotYetChecked() {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        Connection upper = ProxyProtocolServer.defaults().apply(p.lower);
        AtomicReference<Throwable> sent = new AtomicReference<>();
        List<String> atPeer = new CopyOnWriteArrayList<>();
        p.peer.receive().map(ServerFilterTest::text).subscribe(atPeer::add);
        upper.send(Mono.fromCallable(() -> upper.budget().allocator().buffer().writeBytes(bytes("220 banner"))))
                .subscribe(null, sent::set, () -> sent.set(new Throwable("done")));

        assertThat(atPeer).isEmpty();
        assertThat(sent.get()).isNull();
        p.peerWrites(HEADER);
        ProxyProtocol.awaitHeader(upper).block(ProxyPipe.WAIT);
        await(() -> !atPeer.isEmpty(), "the banner at the peer");
        assertThat(atPeer).containsExactly("220 banner");
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void failsSendsAndReleasesTheirBuffersWhenTheHeaderIsRefused() {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        Connection upper = ProxyProtocolServer.defaults().apply(p.lower);
        // from the test's allocator, not the budget: the refusal closes the connection while the banner is held here
        ByteBuf banner = io.sluice.test.SluiceTest.allocator().buffer().writeBytes(bytes("220 banner"));
        Mono<Void> send = upper.send(Mono.just(banner));
        p.peerWrites(bytes("HELO"));

        StepVerifier.create(send).expectError(ProxyProtocolException.class).verify(ProxyPipe.WAIT);
        assertThat(banner.refCnt()).isZero();
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesEveryConnectionFromAnUntrustedSourceWithoutReadingIt() {
        ProxyProtocolServer filter = ProxyProtocolServer.builder()
                .trustedSources(a -> a instanceof InetSocketAddress i && i.getAddress().isLoopbackAddress()).build();
        try (WarnLines warnings = WarnLines.capture()) {
            ProxyPipe.Outcome o = ServerV1Test.both(filter, withData("x"));

            assertThat(o.error()).hasMessage("a PROXY protocol header is required, but the source is not trusted");
            assertThat(warnings.take()).hasSize(2).allMatch(l -> l.contains("from /10.0.0.1:40000"));
        }
    }

    @Test
    void refusesAHeaderFromAnUntrustedSourceEvenWhenHeadersAreOptional() {
        ProxyProtocolServer filter = ProxyProtocolServer.builder().required(false).trustedSources(a -> false).build();

        ProxyPipe.Outcome withHeader = ServerV1Test.both(filter, withData("x"));
        assertThat(withHeader.error()).hasMessage("a PROXY protocol header from an untrusted source");

        ProxyPipe.Outcome plain = ServerV1Test.both(filter, bytes("GET / HTTP/1.1\r\n\r\n"));
        assertThat(plain.error()).isNull();
        assertThat(plain.data()).isEqualTo(bytes("GET / HTTP/1.1\r\n\r\n"));
        assertThat(plain.info().remoteAddress()).isEqualTo(ProxyPipe.TRANSPORT_REMOTE);
    }

    @Test
    void passesAConnectionWithoutHeaderOnWholeWhenNoneIsRequired() {
        ProxyProtocolServer optional = ProxyProtocolServer.builder().required(false).build();
        for (String input : List.of("PROPFIND / HTTP/1.1\r\n\r\n", "\r\n\r\nhello", "P", "")) {
            ProxyPipe.Outcome o = ServerV1Test.both(optional, bytes(input));

            assertThat(o.error()).as(input).isNull();
            assertThat(new String(o.data(), US_ASCII)).as(input).isEqualTo(input);
            assertThat(o.header()).as(input).isNull();
            assertThat(o.info().remoteAddress()).as(input).isEqualTo(ProxyPipe.TRANSPORT_REMOTE);
        }
        assertThat(ServerV1Test.both(optional, withData("x")).header().source()).isEqualTo(CLIENT);
    }

    @Test
    void takesASilentPeerAsHavingNoHeaderWhenNoneIsRequired() {
        ProxyProtocolServer optional = ProxyProtocolServer.builder().required(false)
                .headerTimeout(Duration.ofMillis(100)).build();
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        Connection upper = optional.apply(p.lower);

        ConnectionInfo info = ProxyProtocol.awaitHeader(upper).block(ProxyPipe.WAIT);
        assertThat(info.remoteAddress()).isEqualTo(ProxyPipe.TRANSPORT_REMOTE);
        assertThat(info.attribute(ProxyProtocol.HEADER)).isEmpty();
        p.peerWritesAndShuts(bytes("late"));
        assertThat(p.readAll(upper).data()).isEqualTo(bytes("late"));
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void refusesAPeerThatClosesWithoutAByteQuietly() {
        try (WarnLines warnings = WarnLines.capture()) {
            ProxyPipe.Outcome o = ServerV1Test.both(ProxyProtocolServer.defaults(), new byte[0]);

            assertThat(o.error()).hasMessage("the connection ended before a complete PROXY protocol header"
                    + " (0 byte(s) received)");
            assertThat(warnings.take()).as("a health check's connect and close is no warning").isEmpty();
        }
    }

    @Test
    void startsAHandlerWrappedInAfterHeaderOnlyOnceTheHeaderIsAccepted() {
        ProxyPipe p = new ProxyPipe(Chunking.everyByte());
        Connection upper = ProxyProtocolServer.defaults().apply(p.lower);
        AtomicReference<Object> seen = new AtomicReference<>();
        Flux.from(ProxyProtocol.afterHeader(c -> {
            seen.set(c.info().remoteAddress());
            return Mono.empty();
        }).handle(upper)).subscribe();

        assertThat(seen.get()).isNull();
        p.peerWrites(HEADER);
        await(() -> seen.get() != null, "the handler started");
        assertThat(seen.get()).isEqualTo(CLIENT);
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void neverStartsAHandlerWrappedInAfterHeaderWhenTheHeaderIsRefused() {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        Connection upper = ProxyProtocolServer.defaults().apply(p.lower);
        AtomicReference<Object> seen = new AtomicReference<>();
        Mono<Void> handled = Flux.from(ProxyProtocol.afterHeader(c -> {
            seen.set(c);
            return Mono.empty();
        }).handle(upper)).then();
        p.peerWrites(bytes("junk"));

        StepVerifier.create(handled).verifyComplete();
        assertThat(seen.get()).isNull();
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void allowsOneSubscriberToReceive() {
        ProxyPipe p = new ProxyPipe(Chunking.whole());
        Connection upper = ProxyProtocolServer.defaults().apply(p.lower);
        upper.receive().subscribe(ByteBuf::release, e -> { });

        StepVerifier.create(upper.receive()).expectError(IllegalStateException.class).verify(ProxyPipe.WAIT);
        p.closeAndAssertNothingLeaks();
    }

    @Test
    void aFaultAtAnyStepOfEitherDirectionLeavesNothingBehind() {
        FaultSweep.steps(8).chunking(Chunking.atMost(7)).run((fault, pipe) -> {
            Connection upper = ProxyProtocolServer.defaults().apply(pipe.right());
            upper.receive().transform(fault.operator()).subscribe(ByteBuf::release, e -> { });
            Flux<ByteBuf> data = Flux.range(0, 4).map(i -> pipe.left().budget().allocator().buffer()
                    .writeBytes(i == 0 ? withData("zero") : bytes("more " + i)));
            pipe.left().send(data).onErrorResume(e -> Mono.empty()).block(ProxyPipe.WAIT);
        });
        FaultSweep.steps(4).run((fault, pipe) -> {
            Connection upper = ProxyProtocolServer.defaults().apply(pipe.right());
            pipe.left().receive().subscribe(ByteBuf::release, e -> { });
            pipe.left().send(Mono.fromCallable(() -> pipe.left().budget().allocator().buffer().writeBytes(HEADER)))
                    .subscribe(null, e -> { });
            Flux<ByteBuf> replies = Flux.range(0, 4).map(i -> upper.budget().allocator().buffer()
                    .writeBytes(bytes("reply " + i)));
            upper.send(replies.transform(fault.operator())).onErrorResume(e -> Mono.empty()).block(ProxyPipe.WAIT);
        });
    }

    @Test
    void aResetDuringTheHeaderFailsReceiveWithTheResetAndReleasesEverything() {
        ProxyPipe p = new ProxyPipe(Chunking.everyByte());
        Connection upper = ProxyProtocolServer.defaults().apply(p.lower);
        p.peer.send(Mono.fromCallable(() -> p.peer.budget().allocator().buffer().writeBytes(bytes("PROXY TCP4"))))
                .block(ProxyPipe.WAIT);
        p.peer.reset();

        ProxyPipe.Outcome o = p.readAll(upper);
        assertThat(o.error()).isInstanceOf(io.sluice.api.ConnectionResetException.class);
        StepVerifier.create(ProxyProtocol.awaitHeader(upper)).expectError(ProxyProtocolException.class)
                .verify(ProxyPipe.WAIT);
        p.closeAndAssertNothingLeaks();
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(US_ASCII);
        } finally {
            b.release();
        }
    }

    /** Waits, bounded by {@link ProxyPipe#WAIT}, until {@code condition} holds; fails naming {@code what} if not. */
    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + ProxyPipe.WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
