package io.sluice.filters.tls;

import io.netty.util.NetUtil;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Engines of SunJSSE or Bouncy Castle's JSSE from one {@link SSLContext}, each configured from {@link TlsOptions}:
 * protocols, cipher suites (the server's order preferred), client authentication, ALPN, and for clients SNI and
 * HTTPS endpoint identification.
 *
 * <p>A server picks its ALPN protocol with a selector: the first of its own list that the client offered, or none
 * (the empty string) when there is no overlap, so that the handshake goes on without ALPN as it does on OpenSSL.
 * Renegotiation: Bouncy Castle refuses it by default; SunJSSE can only be told per JVM (a system property), which
 * Sluice does not touch: the TLS driver refuses renegotiation itself on every provider.
 */
final class JsseEngines implements EngineFactory {

    private final SSLContext context;
    private final TlsOptions options;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final String[] applicationProtocols;

    private JsseEngines(SSLContext context, TlsOptions options, String[] cipherSuites) {
        this.context = context;
        this.options = options;
        this.protocols = options.protocols().toArray(new String[0]);
        this.cipherSuites = cipherSuites;
        this.applicationProtocols = options.applicationProtocols().toArray(new String[0]);
    }

    /** Builds the provider's context from {@code material} (CPU work only: the material is already read). */
    static JsseEngines create(TlsOptions options, MaterialSnapshot material) throws GeneralSecurityException {
        JsseProvider jsse = JsseProvider.of(options);
        KeyManager keyManager = options.role() == TlsOptions.Role.SERVER
                ? serverKeyManager(jsse, material)
                : material.key() == null ? null : jsse.keyManager(material.key());
        SSLContext context = jsse.sslContext(keyManager, jsse.trustManager(material.trust()));
        String[] suites = CipherSuites.enabled(options.cipherSuites(), options.defaultCipherSuites(),
                CipherSuites.setOf(context.getSupportedSSLParameters().getCipherSuites()), options.provider());
        return new JsseEngines(context, options, suites);
    }

    /** The SNI-choosing key manager over the default entry and one entry per server name. */
    static SniKeyManager serverKeyManager(JsseProvider jsse, MaterialSnapshot material)
            throws GeneralSecurityException {
        ServerCertificate fallback = new ServerCertificate("default", jsse.keyManager(material.key()),
                material.key());
        Map<String, ServerCertificate> byName = new HashMap<>();
        for (Map.Entry<String, LoadedKey> sni : material.sni().entrySet()) {
            byName.put(sni.getKey(), new ServerCertificate("sni:" + sni.getKey(),
                    jsse.keyManager(sni.getValue()), sni.getValue()));
        }
        return new SniKeyManager(fallback, byName);
    }

    @Override
    public SSLEngine newEngine(String peerHost, int peerPort) {
        SSLEngine engine = peerHost == null ? context.createSSLEngine() : context.createSSLEngine(peerHost, peerPort);
        boolean client = options.role() == TlsOptions.Role.CLIENT;
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(cipherSuites);
        if (client) {
            parameters.setEndpointIdentificationAlgorithm(options.hostnameVerification() ? "HTTPS" : null);
            parameters.setServerNames(sniNames(peerHost));
        } else {
            parameters.setUseCipherSuitesOrder(true);
            parameters.setNeedClientAuth(options.clientAuth() == ClientAuth.REQUIRE);
            if (options.clientAuth() == ClientAuth.OPTIONAL) {
                parameters.setWantClientAuth(true);
            }
        }
        if (applicationProtocols.length > 0) {
            parameters.setApplicationProtocols(applicationProtocols);
        }
        engine.setSSLParameters(parameters);
        if (!client && applicationProtocols.length > 0) {
            engine.setHandshakeApplicationProtocolSelector((ignored, offered) -> select(offered));
        }
        return engine;
    }

    private String select(List<String> offered) {
        for (String protocol : applicationProtocols) {
            if (offered.contains(protocol)) {
                return protocol;
            }
        }
        return ""; // no ALPN rather than a fatal alert, as on OpenSSL
    }

    /** SNI carries host names only, never IP literals (RFC 6066, section 3). */
    static List<SNIServerName> sniNames(String peerHost) {
        if (peerHost == null || NetUtil.isValidIpV4Address(peerHost) || NetUtil.isValidIpV6Address(peerHost)) {
            return List.of();
        }
        return List.of(new SNIHostName(peerHost));
    }

    @Override
    public void dispose() {
        // nothing native: the SSLContext is garbage once no engine refers to it
    }
}
