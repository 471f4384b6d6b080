package io.sluice.benchmarks;

import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/** Plain Reactor Netty echoing: the baseline Sluice's runtime is built on. */
final class ReactorNettyEchoServer implements RunningServer {

    private final DisposableServer server;
    private final LoopResources loops;

    private ReactorNettyEchoServer(DisposableServer server, LoopResources loops) {
        this.server = server;
        this.loops = loops;
    }

    static ReactorNettyEchoServer start(String host, int port, int threads) {
        // Own loops sized like the other kinds', rather than Reactor Netty's global max(cores, 4).
        LoopResources loops = LoopResources.create("reactor-echo", 1, threads, true);
        DisposableServer server = TcpServer.create()
                .host(host)
                .port(port)
                .runOn(loops)
                .handle((in, out) -> out.send(in.receive().retain()))
                .bindNow(Duration.ofSeconds(30));
        return new ReactorNettyEchoServer(server, loops);
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
