package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.filters.tls.DevelopmentCertificate;
import io.sluice.filters.tls.TrustMaterial;
import io.sluice.reactor.Server;
import io.sluice.websocket.WebSocket;
import io.sluice.websocket.WebSocketClient;
import io.sluice.websocket.WebSocketMessage;
import io.sluice.websocket.WebSocketSession;
import io.sluice.websocket.handshake.NodeWsPeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/**
 * The chat page in headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs), talking to another
 * member, a Sluice client, over {@code ws} and over {@code wss}. Chromium is driven through its DevTools protocol by a
 * small Node script (the {@code ws} package is the DevTools client): it opens the page, waits for "connected", types
 * and submits a message as a person would, and waits for the other member's answer in the page's log.
 *
 * <p>Over {@code wss} the server uses the TLS filter's development certificate. Chromium is told to trust exactly
 * that certificate's key ({@code --ignore-certificate-errors-spki-list} with its SHA-256 SPKI hash, honoured with a
 * fresh {@code --user-data-dir}) rather than to ignore certificate errors altogether: a wrong certificate still fails.
 */
class ChatInChromiumTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    /** Drives one page through the DevTools protocol: args browser-url page-url text-to-say line-to-wait-for. */
    private static final String DRIVER = """
            const WebSocket = require('ws');
            const [browserUrl, pageUrl, say, expect] = process.argv.slice(2);
            const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 25000);
            const cdp = new WebSocket(browserUrl, {perMessageDeflate: false});
            let nextId = 1;
            const pending = new Map();
            function call(method, params, sessionId) {
              const id = nextId++;
              cdp.send(JSON.stringify({id, method, params: params || {}, sessionId}));
              return new Promise((resolve, reject) => pending.set(id, {resolve, reject}));
            }
            cdp.on('message', data => {
              const m = JSON.parse(data);
              const p = m.id && pending.get(m.id);
              if (p) { pending.delete(m.id); m.error ? p.reject(new Error(m.error.message)) : p.resolve(m.result); }
            });
            async function evaluate(sessionId, expression) {
              const r = await call('Runtime.evaluate', {expression, returnByValue: true}, sessionId);
              return r.result.value;
            }
            const lines = "[...document.querySelectorAll('#log li')].map(li => li.textContent)";
            async function until(sessionId, expression, what) {
              for (let i = 0; i < 200; i++) {
                if (await evaluate(sessionId, expression)) return;
                await new Promise(r => setTimeout(r, 100));
              }
              throw new Error(`the page never ${what}; status ${await evaluate(sessionId,
                  "document.getElementById('status').textContent")}, log ${JSON.stringify(await evaluate(sessionId, lines))}`);
            }
            cdp.on('open', async () => {
              try {
                const {targetId} = await call('Target.createTarget', {url: pageUrl});
                const {sessionId} = await call('Target.attachToTarget', {targetId, flatten: true});
                await until(sessionId, "document.getElementById('status')?.textContent === 'connected'", 'connected');
                console.log('connected');
                await evaluate(sessionId, `document.getElementById('text').value = ${JSON.stringify(say)};
                    document.getElementById('say').requestSubmit(); true`);
                console.log('sent');
                await until(sessionId, `${lines}.includes(${JSON.stringify(expect)})`, `showed "${expect}"`);
                console.log('log ' + JSON.stringify(await evaluate(sessionId, lines)));
                clearTimeout(timer);
                process.exit(0);
              } catch (e) {
                console.log('error ' + e.message);
                process.exit(1);
              }
            });
            cdp.on('error', e => { console.log('error ' + e.message); process.exit(1); });
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ws", "wss"})
    void chromiumLoadsThePageAndExchangesMessagesWithAnotherMember(String scheme) throws Exception {
        boolean tls = scheme.equals("wss");
        List<String> args = new ArrayList<>(List.of("--port", "0", "--threads", "1"));
        if (tls) {
            args.add("--tls");
        }
        Server server = ChatServer.bind(ChatServer.options().parse(args.toArray(String[]::new)))
                .block(TIMEOUT);
        String origin = (tls ? "https" : "http") + "://127.0.0.1:" + server.port();
        WebSocketClient bot = WebSocket.client(scheme + "://127.0.0.1:" + server.port() + "/chat?name=bot")
                .tls(t -> t.trust(TrustMaterial.of(DevelopmentCertificate.certificate())))
                .build();
        Path profile = Files.createTempDirectory("sluice-chromium");
        Process chromium = null;
        try {
            WebSocketSession session = bot.connect().block(TIMEOUT);
            List<String> botSaw = new CopyOnWriteArrayList<>();
            // The bot answers the browser's member once it hears it.
            session.receive()
                    .map(m -> {
                        try {
                            return m.text();
                        } finally {
                            m.release();
                        }
                    })
                    .doOnNext(botSaw::add)
                    .filter(text -> text.equals("chromium: hello from chromium"))
                    .next()
                    .flatMap(heard -> session.send(Mono.fromSupplier(
                            () -> WebSocketMessage.text(session.allocator(), "hello from sluice"))))
                    .subscribe();

            chromium = startChromium(profile, tls);
            String devtools = devToolsUrl(chromium);
            String output = NodeWsPeer.run(DRIVER, devtools, origin + "/?name=chromium", "hello from chromium",
                    "bot: hello from sluice");

            assertThat(output.lines()).containsExactly(
                    "connected",
                    "sent",
                    "log [\"* welcome chromium, 1 other member(s) here\",\"* chromium joined\","
                            + "\"chromium: hello from chromium\",\"bot: hello from sluice\"]");
            assertThat(botSaw).contains("* chromium joined", "chromium: hello from chromium");
        } finally {
            if (chromium != null) {
                stop(chromium);
            }
            bot.dispose().block(TIMEOUT);
            server.shutdown(Duration.ofSeconds(2)).block(TIMEOUT);
            deleteRecursively(profile);
        }
        assertThat(server.metrics().leaks()).isZero();
    }

    private static Process startChromium(Path profile, boolean trustDevelopmentCertificate) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing; .ci/run installs Debian's chromium (apt-get install chromium)");
        }
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"));
        if (trustDevelopmentCertificate) {
            byte[] spki = DevelopmentCertificate.certificate().getPublicKey().getEncoded();
            command.add("--ignore-certificate-errors-spki-list="
                    + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki)));
        }
        command.add("about:blank");
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Reads Chromium's standard error until it names its DevTools endpoint, then drains the rest in the background. */
    private static String devToolsUrl(Process chromium) throws Exception {
        CompletableFuture<String> url = new CompletableFuture<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(chromium.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    seen.add(line);
                    int at = line.indexOf("DevTools listening on ");
                    if (at >= 0) {
                        url.complete(line.substring(at + "DevTools listening on ".length()).strip());
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IllegalStateException("chromium ended: " + seen));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("chromium named no DevTools endpoint within " + TIMEOUT + ": " + seen, e);
        }
    }

    /** Ends Chromium and every process it started, bounded. */
    private static void stop(Process chromium) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(chromium.descendants().toList());
        chromium.destroy();
        all.forEach(ProcessHandle::destroy);
        if (!chromium.waitFor(5, TimeUnit.SECONDS)) {
            chromium.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Chromium may still be writing its profile as it exits; a temp directory left behind is harmless
        }
    }
}
