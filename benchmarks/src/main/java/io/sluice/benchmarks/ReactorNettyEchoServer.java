package io.sluice.benchmarks;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * Plain Reactor Netty echoing: the baseline Sluice's runtime is built on. With {@link BenchTls}, under Reactor
 * Netty's built-in TLS ({@code TcpServer.secure}, Netty's {@code SslHandler}) with its default timeouts.
 */
final class ReactorNettyEchoServer implements RunningServer {

    private final DisposableServer server;
    private final LoopResources loops;

    private ReactorNettyEchoServer(DisposableServer server, LoopResources loops) {
        this.server = server;
        this.loops = loops;
    }

    /** @param tls null for plain TCP */
    static ReactorNettyEchoServer start(String host, int port, int threads, BenchTls tls)
            throws IOException, GeneralSecurityException {
        // Own loops sized like the other kinds', rather than Reactor Netty's global max(cores, 4).
        LoopResources loops = LoopResources.create("reactor-echo", 1, threads, true);
        TcpServer server = TcpServer.create()
                .host(host)
                .port(port)
                .runOn(loops)
                .handle((in, out) -> out.send(in.receive().retain()));
        if (tls != null) {
            SslContext context = tls.reactorNettyContext();
            server = server.secure(spec -> spec.sslContext(context));
        }
        return new ReactorNettyEchoServer(server.bindNow(Duration.ofSeconds(30)), loops);
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void stop() {
        server.disposeNow(Duration.ofSeconds(10));
        loops.disposeLater().block(Duration.ofSeconds(10));
    }
}
