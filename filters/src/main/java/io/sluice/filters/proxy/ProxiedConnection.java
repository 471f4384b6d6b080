package io.sluice.filters.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.operator.EndSubscriber;
import io.sluice.api.timer.LoopScheduler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.Logger;
import reactor.util.Loggers;

/** The upper connection of a {@link ProxyProtocolServer}; ownership as documented there. */
final class ProxiedConnection extends ConnectionLayer implements HeaderReceiver.Decision {

    /** In the info from the start: completes once the header is accepted, errors if it is refused. */
    static final ConnectionInfo.Key<Mono<Void>> DECIDED = ConnectionInfo.Key.of("proxy-protocol.decided");

    private final Sinks.Empty<Void> decided = Sinks.empty();
    private final ConnectionInfo undecidedInfo;
    private final HeaderReceiver receiver;
    private final Disposable timer;
    private volatile ConnectionInfo info;

    ProxiedConnection(Connection lower, ProxyProtocolServer settings) {
        super(lower);
        ConnectionInfo transport = lower.info();
        this.undecidedInfo = transport.with(DECIDED, decided.asMono());
        this.info = undecidedInfo;
        HeaderParser parser = new HeaderParser(settings.versions(), settings.required(),
                settings.trusts(transport.remoteAddress()), settings.maxV2HeaderLength());
        this.receiver = new HeaderReceiver(parser, lower.budget().allocator(), this,
                settings.headerTimeout().toMillis() + " ms");
        this.timer = LoopScheduler.current().schedule(receiver::timeout, settings.headerTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        lower.onClose().subscribe(EndSubscriber.calling(e -> receiver.closing()));
        lower.receive().subscribe(receiver);
    }

    /** The bytes after the header, as soon as it is accepted; the refusal as an error if it is not. */
    @Override
    public Flux<ByteBuf> receive() {
        return new Flux<>() {
            @Override
            public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
                receiver.subscribeDownstream(actual);
            }
        };
    }

    /**
     * Waits for the header to be accepted, then sends; nothing is written to a peer whose header was not checked.
     * After a refusal, {@code data}'s buffers are released and the send fails with the refusal.
     */
    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return decided.asMono()
                .then(Mono.just(Optional.<Throwable>empty()))
                .onErrorResume(e -> Mono.just(Optional.of(e)))
                .flatMap(refusal -> refusal.isEmpty() ? lower.send(data) : Flux.from(data)
                        .doOnNext(ReferenceCountUtil::release)
                        .then(Mono.error(refusal.get())));
    }

    /** Ready once the header is accepted (a server starts its handler then); errors with the refusal. */
    @Override
    public Mono<Void> ready() {
        return lower.ready().then(decided.asMono());
    }

    /** Releases what arrived after the header if nobody subscribed to {@link #receive()}, then closes the lower one. */
    @Override
    public void close() {
        receiver.closing();
        lower.close();
    }

    /** The transport's info until the header is accepted; then the header's addresses and {@link ProxyProtocol#HEADER}. */
    @Override
    public ConnectionInfo info() {
        return info;
    }

    @Override
    public void accepted(ParsedHeader parsed) {
        timer.dispose();
        if (!parsed.absent()) {
            ProxyHeader header = parsed.header();
            ConnectionInfo next = undecidedInfo.with(ProxyProtocol.HEADER, header);
            if (header.command() == ProxyHeader.Command.PROXY && header.hasAddresses()) {
                next = next.withAddresses(header.destination(), header.source());
            }
            info = next;
        }
        decided.tryEmitEmpty();
    }

    @Override
    public void refused(ProxyProtocolException e, boolean quiet) {
        timer.dispose();
        try {
            // Looked up on this rare path, so that a logger factory installed later (a test's capture) sees it.
            Logger log = Loggers.getLogger(ProxyProtocol.class);
            if (!quiet) {
                log.warn("connection {}: refusing the connection from {}: {}", lower.info().id(),
                        lower.info().remoteAddress(), e.getMessage());
            } else if (log.isDebugEnabled()) {
                log.debug("connection {}: closed before a PROXY protocol header: {}", lower.info().id(),
                        e.getMessage());
            }
        } finally {
            lower.close();
            decided.tryEmitError(e);
        }
    }

    @Override
    public String toString() {
        return "ProxiedConnection" + info();
    }
}
