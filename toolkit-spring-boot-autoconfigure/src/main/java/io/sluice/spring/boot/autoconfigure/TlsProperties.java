package io.sluice.spring.boot.autoconfigure;

import io.sluice.filters.tls.ClientAuth;
import io.sluice.filters.tls.TlsProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS of a server, under {@code sluice.servers.<name>.tls}; off unless {@code enabled}. Key material is a PEM
 * certificate chain with its private key, or a PKCS#12 key store; with neither, the server uses a generated
 * development certificate and logs a loud warning. The defaults are {@link io.sluice.filters.tls.TlsOptions}'s.
 */
public class TlsProperties {

    /** Whether the server speaks TLS. */
    private boolean enabled;

    /** The TLS implementation: jdk, bouncy-castle or openssl (needs netty-tcnative-boringssl-static). */
    private TlsProvider provider = TlsProvider.JDK;

    /** PEM file with the server's certificate chain, leaf first. */
    private String certificate;

    /** PEM file with the certificate's private key (PKCS#8 or traditional). */
    private String privateKey;

    /** Password of an encrypted private key. */
    private String privateKeyPassword;

    /** PKCS#12 key store holding the key and its chain, instead of the two PEM files. */
    private String keyStore;

    /** Password of the PKCS#12 key store. */
    private String keyStorePassword;

    /** PEM files of the CAs trusted to sign client certificates (needed for client-auth optional or require). */
    private List<String> trustCertificates = new ArrayList<>();

    /** Whether clients present certificates: none, optional or require. */
    private ClientAuth clientAuth = ClientAuth.NONE;

    /** Protocol versions; TLSv1.3 and TLSv1.2 when empty. */
    private List<String> protocols = new ArrayList<>();

    /** Cipher suites; the provider's safe defaults when empty. */
    private List<String> cipherSuites = new ArrayList<>();

    /** ALPN protocols in the server's order of preference. */
    private List<String> applicationProtocols = new ArrayList<>();

    /** How long a handshake may take. */
    private Duration handshakeTimeout = Duration.ofSeconds(10);

    /** How long a closing connection waits to send its close_notify. */
    private Duration closeNotifyTimeout = Duration.ofSeconds(3);

    /** How often the key and trust files are checked for changes; unset or 0 never reloads them. */
    private Duration reloadInterval;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public TlsProvider getProvider() {
        return provider;
    }

    public void setProvider(TlsProvider provider) {
        this.provider = provider;
    }

    public String getCertificate() {
        return certificate;
    }

    public void setCertificate(String certificate) {
        this.certificate = certificate;
    }

    public String getPrivateKey() {
        return privateKey;
    }

    public void setPrivateKey(String privateKey) {
        this.privateKey = privateKey;
    }

    public String getPrivateKeyPassword() {
        return privateKeyPassword;
    }

    public void setPrivateKeyPassword(String privateKeyPassword) {
        this.privateKeyPassword = privateKeyPassword;
    }

    public String getKeyStore() {
        return keyStore;
    }

    public void setKeyStore(String keyStore) {
        this.keyStore = keyStore;
    }

    public String getKeyStorePassword() {
        return keyStorePassword;
    }

    public void setKeyStorePassword(String keyStorePassword) {
        this.keyStorePassword = keyStorePassword;
    }

    public List<String> getTrustCertificates() {
        return trustCertificates;
    }

    public void setTrustCertificates(List<String> trustCertificates) {
        this.trustCertificates = trustCertificates;
    }

    public ClientAuth getClientAuth() {
        return clientAuth;
    }

    public void setClientAuth(ClientAuth clientAuth) {
        this.clientAuth = clientAuth;
    }

    public List<String> getProtocols() {
        return protocols;
    }

    public void setProtocols(List<String> protocols) {
        this.protocols = protocols;
    }

    public List<String> getCipherSuites() {
        return cipherSuites;
    }

    public void setCipherSuites(List<String> cipherSuites) {
        this.cipherSuites = cipherSuites;
    }

    public List<String> getApplicationProtocols() {
        return applicationProtocols;
    }

    public void setApplicationProtocols(List<String> applicationProtocols) {
        this.applicationProtocols = applicationProtocols;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public Duration getCloseNotifyTimeout() {
        return closeNotifyTimeout;
    }

    public void setCloseNotifyTimeout(Duration closeNotifyTimeout) {
        this.closeNotifyTimeout = closeNotifyTimeout;
    }

    public Duration getReloadInterval() {
        return reloadInterval;
    }

    public void setReloadInterval(Duration reloadInterval) {
        this.reloadInterval = reloadInterval;
    }
}
