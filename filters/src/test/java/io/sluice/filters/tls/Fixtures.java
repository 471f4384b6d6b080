package io.sluice.filters.tls;

import io.sluice.api.ConnectionInfo;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.params.provider.Arguments;

/** The committed key material of {@code src/test/resources/tls} (see its README) and ways to use it in tests. */
final class Fixtures {

    static final char[] PASSWORD = "changeit".toCharArray();
    static final Path DIR = directory();

    static final KeyMaterial SERVER_RSA = pem("server");
    static final KeyMaterial SERVER_EC = pem("server-ec");
    static final KeyMaterial SERVER_P12 = KeyMaterial.pkcs12(file("server.p12"), PASSWORD);
    static final KeyMaterial CLIENT = pem("client");
    static final TrustMaterial CA = TrustMaterial.pem(file("ca.pem"));

    private Fixtures() {
    }

    static Path file(String name) {
        return DIR.resolve(name);
    }

    static KeyMaterial pem(String name) {
        return KeyMaterial.pem(file(name + ".pem"), file(name + "-key.pem"));
    }

    /** A connection from a client at 127.0.0.1 to a server at {@code host}:8443 (nothing is resolved). */
    static ConnectionInfo toServer(String host) {
        return ConnectionInfo.of("test", InetSocketAddress.createUnresolved("127.0.0.1", 50000),
                InetSocketAddress.createUnresolved(host, 8443));
    }

    static ConnectionInfo fromClient() {
        return ConnectionInfo.of("test", InetSocketAddress.createUnresolved("127.0.0.1", 8443),
                InetSocketAddress.createUnresolved("127.0.0.1", 50000));
    }

    static TlsContext server(TlsProvider provider, UnaryOperator<TlsOptions.Builder> settings) {
        return TlsContext.create(settings.apply(TlsOptions.server().provider(provider)).build());
    }

    /** A client trusting the test CA, connecting to {@code localhost} unless told otherwise. */
    static TlsContext client(TlsProvider provider, UnaryOperator<TlsOptions.Builder> settings) {
        return TlsContext.create(settings.apply(TlsOptions.client().provider(provider).trust(CA)).build());
    }

    /** Engines of both contexts, the client connecting to {@code host}, handshaken; the caller closes the pair. */
    static EnginePair handshake(TlsContext client, TlsContext server, String host) {
        EnginePair pair = new EnginePair(client.newEngine(toServer(host)), server.newEngine(fromClient()));
        try {
            return pair.handshake();
        } catch (RuntimeException | Error e) {
            pair.close();
            throw e;
        }
    }

    static EnginePair handshake(TlsContext client, TlsContext server) {
        return handshake(client, server, "localhost");
    }

    /** The common name of the certificate the peer of {@code side} presented. */
    static String peerName(EnginePair.Side side) {
        try {
            X509Certificate peer = (X509Certificate) side.session().getPeerCertificates()[0];
            return commonName(peer);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new AssertionError(side.name + " has no verified peer", e);
        }
    }

    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            throw new AssertionError(e);
        }
        return null;
    }

    /** Server and client provider pairs: every provider with itself and with every other. */
    static Stream<Arguments> providerPairs() {
        return Stream.of(TlsProvider.values()).flatMap(server -> Stream.of(TlsProvider.values())
                .map(client -> Arguments.of(server, client)));
    }

    static List<TlsProvider> providers() {
        return List.of(TlsProvider.values());
    }

    private static Path directory() {
        try {
            return Path.of(Fixtures.class.getResource("/tls/ca.pem").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
