package io.sluice.filters.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server's key manager that picks the certificate by the host name the client sent in SNI
 * ({@link ExtendedSSLSession#getRequestedServerNames()} of the handshake session), falling back to the default
 * entry when the client sent none or one that is not configured. The same object serves SunJSSE, Bouncy Castle's
 * JSSE and Netty's OpenSSL engine (through its key manager bridge), so SNI works alike on all three.
 *
 * <p>Within the chosen entry, the provider's own {@code PKIX} key manager decides whether the key suits the key type
 * being asked for (an EC certificate does not serve an RSA-only cipher suite), once per key type for the life of
 * this object ({@link ServerCertificate#suits}); if it does not, no alias is returned and the provider tries its next
 * key type, as it would with any key manager. Only a client that names the certificate authorities it accepts
 * (issuers) has its handshake judged in full, every time. Aliases are the entries' names, stable for the life of
 * this object, so Netty may cache the native form of each key. Keys and chains are served from memory: nothing here
 * reads files, blocks or takes locks.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private final ServerCertificate fallback;
    private final Map<String, ServerCertificate> byServerName;
    private final Map<String, ServerCertificate> byAlias;

    /**
     * @param fallback the entry for clients without SNI or with an unknown name
     * @param byServerName entries by lower-case host name; a key {@code *.domain} matches one label before it
     */
    SniKeyManager(ServerCertificate fallback, Map<String, ServerCertificate> byServerName) {
        this.fallback = fallback;
        this.byServerName = Map.copyOf(byServerName);
        HashMap<String, ServerCertificate> aliases = new HashMap<>();
        aliases.put(fallback.alias(), fallback);
        byServerName.values().forEach(entry -> aliases.put(entry.alias(), entry));
        this.byAlias = Map.copyOf(aliases);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        ServerCertificate entry = entryFor(engine == null ? null : engine.getHandshakeSession());
        boolean suits = anyIssuer(issuers) ? entry.suits(keyType)
                : entry.judge().chooseEngineServerAlias(keyType, issuers, engine) != null;
        return suits ? entry.alias() : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        ServerCertificate entry = entryFor(socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null);
        boolean suits = anyIssuer(issuers) ? entry.suits(keyType)
                : entry.judge().chooseServerAlias(keyType, issuers, socket) != null;
        return suits ? entry.alias() : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        List<String> aliases = new ArrayList<>();
        for (ServerCertificate entry : byAlias.values()) {
            String[] suitable = entry.judge().getServerAliases(keyType, issuers);
            if (suitable != null && suitable.length > 0) {
                aliases.add(entry.alias());
            }
        }
        return aliases.isEmpty() ? null : aliases.toArray(new String[0]);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        ServerCertificate entry = byAlias.get(alias);
        return entry == null ? null : entry.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        ServerCertificate entry = byAlias.get(alias);
        return entry == null ? null : entry.privateKey();
    }

    /** A server never acts as a client. */
    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** No certificate authorities named (the usual case for a server): the answer does not depend on the handshake. */
    private static boolean anyIssuer(Principal[] issuers) {
        return issuers == null || issuers.length == 0;
    }

    private ServerCertificate entryFor(SSLSession handshake) {
        if (byServerName.isEmpty() || !(handshake instanceof ExtendedSSLSession extended)) {
            return fallback;
        }
        for (SNIServerName name : extended.getRequestedServerNames()) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                SNIHostName host = name instanceof SNIHostName h ? h : new SNIHostName(name.getEncoded());
                ServerCertificate entry = entryFor(host.getAsciiName().toLowerCase(Locale.ROOT));
                if (entry != null) {
                    return entry;
                }
            }
        }
        return fallback;
    }

    private ServerCertificate entryFor(String host) {
        ServerCertificate exact = byServerName.get(host);
        if (exact != null) {
            return exact;
        }
        int dot = host.indexOf('.');
        return dot > 0 ? byServerName.get("*" + host.substring(dot)) : null;
    }
}
