package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionInfo;
import io.sluice.api.ConnectionLayer;
import javax.net.ssl.SSLEngine;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The upper connection of a {@link Tls} filter: plaintext over the lower connection's records. Ownership as in {@link Tls}. */
final class TlsConnection extends ConnectionLayer {

    private final TlsEngineDriver driver;

    TlsConnection(Connection lower, SSLEngine engine, TlsDriverSettings settings) {
        super(lower);
        this.driver = new TlsEngineDriver(lower, engine, settings);
        driver.start();
    }

    @Override
    public Flux<ByteBuf> receive() {
        return driver.receive();
    }

    @Override
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return driver.send(data);
    }

    /** Sends close_notify after the queued sends, then closes the lower connection. */
    @Override
    public void close() {
        driver.close();
    }

    @Override
    public ConnectionInfo info() {
        return driver.info();
    }

    @Override
    public String toString() {
        return "TlsConnection" + info();
    }
}
