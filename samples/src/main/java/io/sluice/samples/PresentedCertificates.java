package io.sluice.samples;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Asks a TLS server which certificate chain it presents, with one handshake over a blocking JDK socket that accepts
 * any certificate. What the load generator's {@code --trust-all} uses: the chain's last certificate (the
 * self-signed development certificate itself, or the highest CA the server sends) becomes the one trusted anchor.
 */
final class PresentedCertificates {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private PresentedCertificates() {
    }

    /** The last certificate of the chain {@code host:port} presents. Blocking: not for event loops. */
    static X509Certificate top(String host, int port) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                socket.startHandshake();
                Certificate[] chain = socket.getSession().getPeerCertificates();
                return (X509Certificate) chain[chain.length - 1];
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot get the certificate of the TLS server at " + host + ":" + port, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS cannot be set up", e);
        }
    }
}
