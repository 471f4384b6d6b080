package io.sluice.filters.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.reactor.Client;
import io.sluice.test.SluiceTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The filters against peers nobody here wrote, on 127.0.0.1: curl's {@code --haproxy-protocol} (version 1), and
 * HAProxy in mode tcp in front of a Sluice server with {@code send-proxy} and {@code send-proxy-v2} (with its CRC32C
 * and unique-id TLVs), and behind a Sluice client ({@code accept-proxy}) for the sending side.
 */
class RealPeersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void curlsVersion1HeaderGivesTheServerCurlsOwnAddressAndPort() throws Exception {
        try (ProxyServerOverSocket server = new ProxyServerOverSocket(ProxyProtocol.server().build())) {
            Process curl;
            try {
                curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--haproxy-protocol",
                        "http://127.0.0.1:" + server.port() + "/").redirectErrorStream(true).start();
            } catch (java.io.IOException missing) {
                assumeTrue(false, "curl is not installed: " + missing.getMessage());
                return;
            }
            assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
            String answer = new String(curl.getInputStream().readAllBytes(), US_ASCII);
            assertThat(curl.exitValue()).as(answer).isZero();
            assertThat(answer).matches("remote=/127\\.0\\.0\\.1:\\d+ local=/127\\.0\\.0\\.1:" + server.port()
                    + " header=V1 PROXY\n");
        }
    }

    @Test
    void haproxySendProxyGivesTheServerTheClientsRealSourcePort() throws Exception {
        assumeTrue(HaproxyProcess.available(), "haproxy is not installed (.ci/run installs it)");
        try (ProxyServerOverSocket server = new ProxyServerOverSocket(ProxyProtocol.server().build())) {
            int v1 = HaproxyProcess.freePort();
            int v2 = HaproxyProcess.freePort();
            String config = defaults()
                    + frontend("v1", v1, "") + backend("v1", server.port(), "send-proxy")
                    + frontend("v2", v2, "  unique-id-format sluice-%ci-%cp\n")
                    + backend("v2", server.port(), "send-proxy-v2 proxy-v2-options crc32c,unique-id");
            try (HaproxyProcess haproxy = HaproxyProcess.start(config, v1)) {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", v1));
                    String seen = ask(client);
                    assertThat(seen).as(haproxy.log()).isEqualTo("remote=/127.0.0.1:" + client.getLocalPort()
                            + " local=/127.0.0.1:" + v1 + " header=V1 PROXY");
                }
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", v2));
                    String seen = ask(client);
                    assertThat(seen).as(haproxy.log()).isEqualTo("remote=/127.0.0.1:" + client.getLocalPort()
                            + " local=/127.0.0.1:" + v2 + " header=V2 PROXY uid=sluice-127.0.0.1-"
                            + client.getLocalPort() + " crc=yes");
                }
            }
        }
    }

    @Test
    void aSluiceClientsHeaderCrossesHaproxyToTheServer() throws Exception {
        assumeTrue(HaproxyProcess.available(), "haproxy is not installed (.ci/run installs it)");
        try (ProxyServerOverSocket server = new ProxyServerOverSocket(ProxyProtocol.server().build())) {
            int relay = HaproxyProcess.freePort();
            int ready = HaproxyProcess.freePort();
            String config = defaults()
                    + frontend("ready", ready, "") + backend("ready", server.port(), "send-proxy")
                    + "frontend fe_relay\n  bind 127.0.0.1:" + relay + " accept-proxy\n  default_backend be_relay\n"
                    + backend("relay", server.port(), "send-proxy-v2");
            try (HaproxyProcess haproxy = HaproxyProcess.start(config, ready)) {
                for (ProxyVersion version : ProxyVersion.values()) {
                    ProxyProtocolClient announce = ProxyProtocol.client(version)
                            .source(new InetSocketAddress("198.51.100.23", 4711))
                            .destination(new InetSocketAddress("203.0.113.1", 443))
                            .build();
                    Client client = Client.tcp().host("127.0.0.1").port(relay).allocator(SluiceTest.allocator())
                            .filter(announce).build();
                    try {
                        Connection c = client.connect().block(WAIT);
                        Mono<String> answer = c.receive()
                                .map(b -> text(b))
                                .reduce(String::concat);
                        c.send(Mono.fromCallable(() -> c.budget().allocator().buffer().writeBytes(
                                "hello\n".getBytes(US_ASCII)))).block(WAIT);
                        assertThat(answer.block(WAIT)).as(version + ": " + haproxy.log())
                                .isEqualTo("remote=/198.51.100.23:4711 local=/203.0.113.1:443 header=V2 PROXY\n");
                    } finally {
                        client.dispose().block(WAIT);
                    }
                }
            }
        }
    }

    private static String ask(Socket client) throws Exception {
        client.setSoTimeout((int) WAIT.toMillis());
        client.getOutputStream().write("hello\n".getBytes(US_ASCII));
        client.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(client.getInputStream(), US_ASCII)).readLine();
    }

    private static String text(ByteBuf b) {
        try {
            return b.toString(US_ASCII);
        } finally {
            b.release();
        }
    }

    private static String defaults() {
        return "global\n  maxconn 100\n"
                + "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 15s\n  timeout server 15s\n";
    }

    private static String frontend(String name, int port, String extra) {
        return "frontend fe_" + name + "\n  bind 127.0.0.1:" + port + "\n" + extra + "  default_backend be_" + name
                + "\n";
    }

    private static String backend(String name, int serverPort, String options) {
        return "backend be_" + name + "\n  server s1 127.0.0.1:" + serverPort + " " + options + "\n";
    }
}
