package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.util.LoggerUtils;
import reactor.test.util.TestLogger;

/** Certificate files replaced while a context runs: new handshakes get the new material, old engines keep theirs. */
class ReloadTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void reloadMakesNewEnginesPresentTheNewCertificateAndLeavesEarlierEnginesAlone(TlsProvider provider)
            throws IOException {
        install("server");
        try (TlsContext server = Fixtures.server(provider, s -> s.keyMaterial(installed()))) {
            assertThat(presentedKey(server, null)).isEqualTo("RSA");
            SSLEngine madeBefore = server.newEngine(Fixtures.fromClient());
            boolean handedOver = false;
            try {
                install("server-ec");
                assertThat(presentedKey(server, null)).as("before reload()").isEqualTo("RSA");
                server.reload();
                assertThat(presentedKey(server, null)).isEqualTo("EC");
                handedOver = true;
                assertThat(presentedKey(server, madeBefore)).isEqualTo("RSA");
            } finally {
                if (!handedOver) {
                    ReferenceCountUtil.release(madeBefore);
                }
            }
        }
    }

    /** The choice of certificate is decided once per server name and key type: a reload must start afresh. */
    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void reloadReplacesTheCertificateOfAServerNameThatHandshakesAlreadyUsed(TlsProvider provider) throws IOException {
        install("server");
        try (TlsContext server = Fixtures.server(provider, s -> s.keyMaterial(Fixtures.SERVER_EC)
                .sni("a.example", installed()))) {
            for (int i = 0; i < 3; i++) {
                assertThat(presentedKeyFor(server, "a.example")).isEqualTo("RSA");
                assertThat(presentedKeyFor(server, "c.example")).isEqualTo("EC");
            }
            install("server-ec");
            server.reload();
            assertThat(presentedKeyFor(server, "a.example")).isEqualTo("EC");
            install("server");
            server.reload();
            assertThat(presentedKeyFor(server, "a.example")).isEqualTo("RSA");
            assertThat(presentedKeyFor(server, "c.example")).isEqualTo("EC");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aReloadIntervalPicksUpChangedFilesAndSkipsBadOnes(TlsProvider provider) throws IOException {
        install("server");
        TestLogger log = new TestLogger(false);
        LoggerUtils.useCurrentLoggersWithCapture();
        LoggerUtils.enableCaptureWith(log);
        try (TlsContext server = Fixtures.server(provider,
                s -> s.keyMaterial(installed()).reloadInterval(Duration.ofMillis(20)))) {
            assertThat(presentedKey(server, null)).isEqualTo("RSA");
            install("server-ec");
            awaitPresented(server, "EC");

            Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nbroken\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!log.getErrContent().contains("cannot be loaded") && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertThat(log.getErrContent()).contains("TLS material changed but cannot be loaded; still using the "
                    + "previous material").contains(dir.resolve("key.pem").toString());
            assertThat(presentedKey(server, null)).isEqualTo("EC");

            install("server");
            awaitPresented(server, "RSA");
            // The broken file is reported once, not at every poll. (Installing the next files replaces them one at
            // a time, so a slow machine may also see, and report, a moment with a missing key or a mismatch.)
            assertThat(log.getErrContent()).containsOnlyOnce("-----END PRIVATE KEY----- not found");
        } finally {
            LoggerUtils.disableCapture();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aFailedReloadNamesTheFileAndKeepsThePreviousMaterial(TlsProvider provider) throws IOException {
        install("server");
        try (TlsContext server = Fixtures.server(provider, s -> s.keyMaterial(installed()))) {
            Files.copy(Fixtures.file("server-ec-key.pem"), dir.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(server::reload)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("TLS option keyMaterial: ")
                    .hasMessageContaining(dir.resolve("key.pem").toString())
                    .hasMessageContaining("does not match");
            assertThat(presentedKey(server, null)).isEqualTo("RSA");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void reloadedTrustTakesEffectForNewClients(TlsProvider provider) throws IOException {
        Path ca = dir.resolve("ca.pem");
        Files.copy(Fixtures.file("ca.pem"), ca);
        try (TlsContext server = Fixtures.server(TlsProvider.JDK, s -> s.keyMaterial(Fixtures.SERVER_RSA));
                TlsContext client = TlsContext.create(TlsOptions.client().provider(provider)
                        .trust(TrustMaterial.pem(ca)).build())) {
            try (EnginePair pair = Fixtures.handshake(client, server)) {
                assertThat(pair.succeeded()).isTrue();
            }
            Files.copy(Fixtures.file("other-ca.pem"), ca, StandardCopyOption.REPLACE_EXISTING);
            client.reload();
            try (EnginePair pair = Fixtures.handshake(client, server)) {
                assertThat(pair.succeeded()).isFalse();
                assertThat(pair.client.failure).isNotNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void enginesMadeWhileReloadsReplaceTheContextAllWork(TlsProvider provider) throws Exception {
        install("server");
        try (TlsContext server = Fixtures.server(provider, s -> s.keyMaterial(installed()))) {
            AtomicBoolean reloading = new AtomicBoolean(true);
            AtomicInteger made = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread maker = new Thread(() -> {
                try {
                    while (reloading.get()) {
                        ReferenceCountUtil.release(server.newEngine(Fixtures.fromClient()));
                        made.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "engine-maker");
            maker.start();
            try {
                for (int i = 0; i < 20; i++) {
                    server.reload();
                }
            } finally {
                reloading.set(false);
                maker.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertThat(failure.get()).isNull();
            assertThat(made.get()).isPositive();
            assertThat(presentedKey(server, null)).isEqualTo("RSA");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsProvider.class)
    void aClosedContextMakesNoEngineAndCannotReload(TlsProvider provider) {
        TlsContext server = Fixtures.server(provider, s -> s.keyMaterial(Fixtures.SERVER_EC));
        server.close();
        server.close();
        assertThatThrownBy(() -> server.newEngine(Fixtures.fromClient()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(server::reload).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private void install(String name) throws IOException {
        // key first, then the chain: a poll between the two sees a mismatch and waits for the next change
        Files.copy(Fixtures.file(name + "-key.pem"), dir.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Fixtures.file(name + ".pem"), dir.resolve("chain.pem"), StandardCopyOption.REPLACE_EXISTING);
    }

    private KeyMaterial installed() {
        return KeyMaterial.pem(dir.resolve("chain.pem"), dir.resolve("key.pem"));
    }

    private static void awaitPresented(TlsContext server, String algorithm) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!presentedKey(server, null).equals(algorithm)) {
            assertThat(System.nanoTime()).as("waiting for the %s certificate", algorithm).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** The key algorithm of the certificate a JDK client sees when it asks for {@code serverName} in SNI. */
    private static String presentedKeyFor(TlsContext server, String serverName) {
        try (TlsContext client = Fixtures.client(TlsProvider.JDK,
                c -> c.serverName(serverName).hostnameVerification(false));
                EnginePair pair = new EnginePair(client.newEngine(Fixtures.toServer("127.0.0.1")),
                        server.newEngine(Fixtures.fromClient()))) {
            pair.handshake();
            assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
            return ((X509Certificate) pair.client.session().getPeerCertificates()[0]).getPublicKey().getAlgorithm();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The key algorithm of the certificate a JDK client sees from {@code serverEngine} (a new one when null), which
     * this releases.
     */
    private static String presentedKey(TlsContext server, SSLEngine serverEngine) {
        try (TlsContext client = Fixtures.client(TlsProvider.JDK, c -> c);
                EnginePair pair = new EnginePair(client.newEngine(Fixtures.toServer("localhost")),
                        serverEngine != null ? serverEngine : server.newEngine(Fixtures.fromClient()))) {
            pair.handshake();
            assertThat(pair.succeeded()).as("%s / %s", pair.client, pair.server).isTrue();
            return ((X509Certificate) pair.client.session().getPeerCertificates()[0]).getPublicKey().getAlgorithm();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new AssertionError(e);
        }
    }
}
