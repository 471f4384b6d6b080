package io.sluice.filters.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCountUtil;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Engines of BoringSSL through Netty's reference-counted OpenSSL context ({@link SslProvider#OPENSSL_REFCNT}: no
 * finalizers, native memory freed when the last reference goes, leaks visible to Netty's leak detector).
 *
 * <p>The context holds one reference, dropped by {@link #dispose()} when a reload replaces it or its
 * {@link TlsContext} closes; every engine holds another (Netty retains the context per engine), so engines already
 * handed out keep working. Engines are {@link io.netty.util.ReferenceCounted}: whoever takes one releases it once.
 * They use {@link ByteBufAllocator#DEFAULT} for the direct buffers they need when wrapping heap buffers.
 *
 * <p>Key material reaches BoringSSL through Netty's key manager bridge, which asks the same {@link SniKeyManager}
 * as the JSSE providers during the handshake (SNI included). Netty's plain provider keeps the native form of the
 * chain and key it made last, reused while the key manager answers with the same objects, as ours does (the
 * certificates are loaded once per generation). Netty's caching provider ({@code OpenSslCachingX509KeyManagerFactory})
 * is not used: when two first handshakes looked up the same alias at once it kept a reference too many, and the
 * native key material leaked when the context was freed. ALPN fails
 * soft ({@code NO_ADVERTISE}) like the JSSE selector. BoringSSL servers never renegotiate; clients are set to refuse
 * renegotiation too (Netty allows one by default), and send their server name in SNI as the JSSE providers do.
 */
final class OpenSslEngines implements EngineFactory {

    private final SslContext context;
    private final boolean client;

    private OpenSslEngines(SslContext context, boolean client) {
        this.context = context;
        this.client = client;
    }

    static OpenSslEngines create(TlsOptions options, MaterialSnapshot material)
            throws GeneralSecurityException, SSLException {
        OpenSslSupport.require();
        JsseProvider jdk = JsseProvider.of(options);
        boolean client = options.role() == TlsOptions.Role.CLIENT;
        SslContextBuilder builder;
        if (client) {
            builder = SslContextBuilder.forClient()
                    .endpointIdentificationAlgorithm(options.hostnameVerification() ? "HTTPS" : null);
            if (material.key() != null) {
                builder.keyManager(jdk.keyManager(material.key()));
            }
        } else {
            builder = SslContextBuilder.forServer(
                    new KeyManagerFactoryWrapper(JsseEngines.serverKeyManager(jdk, material)))
                    .clientAuth(switch (options.clientAuth()) {
                        case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
                        case OPTIONAL -> io.netty.handler.ssl.ClientAuth.OPTIONAL;
                        case REQUIRE -> io.netty.handler.ssl.ClientAuth.REQUIRE;
                    });
        }
        String[] suites = CipherSuites.enabled(options.cipherSuites(), options.defaultCipherSuites(),
                OpenSsl.availableJavaCipherSuites(), options.provider());
        builder.sslProvider(SslProvider.OPENSSL_REFCNT)
                .protocols(options.protocols())
                .ciphers(List.of(suites))
                .trustManager(jdk.trustManager(material.trust()));
        if (!options.applicationProtocols().isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    options.applicationProtocols()));
        }
        return new OpenSslEngines(builder.build(), client);
    }

    @Override
    public SSLEngine newEngine(String peerHost, int peerPort) {
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, peerHost, peerPort);
        if (client && engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            try {
                SSL.setRenegotiateMode(openSsl.sslPointer(), SSL.SSL_RENEGOTIATE_NEVER);
                sendServerName(engine, peerHost);
            } catch (Exception e) {
                ReferenceCountUtil.release(engine);
                throw new IllegalStateException("cannot set up the OpenSSL client engine", e);
            }
        }
        return engine;
    }

    /**
     * Netty puts only names with a dot in SNI by itself; the JSSE providers send whatever host name they are given
     * (such as {@code localhost}, or an intranet name), and so do these engines.
     */
    private static void sendServerName(SSLEngine engine, String peerHost) {
        List<SNIServerName> names = JsseEngines.sniNames(peerHost);
        if (!names.isEmpty()) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(names);
            engine.setSSLParameters(parameters);
        }
    }

    @Override
    public void dispose() {
        ReferenceCountUtil.release(context);
    }
}
