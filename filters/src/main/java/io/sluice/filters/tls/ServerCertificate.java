package io.sluice.filters.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One certificate a server may present (its key and chain), the alias {@link SniKeyManager} names it by, and
 * whether it suits each key type a handshake asks for ({@code RSA}, {@code EC}, or a provider's own names such as
 * Bouncy Castle's {@code EC/secp256r1}).
 *
 * <p>The provider's own {@code PKIX} key manager over this key alone (the judge) decides whether the key suits a key
 * type, once per key type: asked without a handshake, it answers from the key and the certificate alone (key
 * algorithm, curve, key usage, and what the provider's own policy forbids), which do not change for the life of
 * this object, so the answer is kept. A {@link TlsContext} makes new objects on every reload, so answers never
 * outlive the key they are about. Asked with the handshake instead, the same judge also runs the handshake's
 * algorithm constraints against the one chain, every handshake (with Netty's OpenSSL engine, converting every
 * signature algorithm name the client offered): about a quarter of the server's Java time per handshake in the
 * benchmarks, for a check that cannot pick another certificate (there is one per server name) and whose only effect
 * is to refuse the handshake where RFC 8446 (section 4.4.2.2) says a server should send its chain anyway. The
 * provider still checks the chosen key against the handshake itself (SunJSSE its key algorithm and, before TLS 1.3,
 * its curve; Bouncy Castle the key type with the handshake's parameters; BoringSSL its signature algorithms).
 *
 * <p>Thread-safe without locks: the answers are an immutable map replaced whole; two handshakes asking a new key
 * type at once both ask the judge, and one answer is kept. Key types come from the provider, a handful of names, so
 * at most {@link #MAX_KEY_TYPES} are kept. No buffers cross this class.
 */
final class ServerCertificate {

    /** Key types whose answer is kept, at most; any further ones are asked of the judge every time. */
    static final int MAX_KEY_TYPES = 32;

    private final String alias;
    private final X509ExtendedKeyManager judge;
    private final LoadedKey key;
    private final X509Certificate[] chain;
    private volatile Map<String, Boolean> suitsKeyType = Map.of();

    ServerCertificate(String alias, X509ExtendedKeyManager judge, LoadedKey key) {
        this.alias = alias;
        this.judge = judge;
        this.key = key;
        this.chain = key.chainArray();
    }

    String alias() {
        return alias;
    }

    /** The provider key manager over this key alone, for questions that depend on the handshake (issuers). */
    X509ExtendedKeyManager judge() {
        return judge;
    }

    PrivateKey privateKey() {
        return key.key();
    }

    /** The chain, leaf first: a copy, since callers may change the array. */
    X509Certificate[] chain() {
        return chain.clone();
    }

    /** Whether the key suits {@code keyType} (as the provider names key types); decided once per key type. */
    boolean suits(String keyType) {
        if (keyType == null) {
            return false;
        }
        Map<String, Boolean> known = suitsKeyType;
        Boolean answer = known.get(keyType);
        if (answer != null) {
            return answer;
        }
        boolean suits = judge.chooseEngineServerAlias(keyType, null, null) != null;
        if (known.size() < MAX_KEY_TYPES) {
            Map<String, Boolean> more = new HashMap<>(known);
            more.put(keyType, suits);
            suitsKeyType = Map.copyOf(more);
        }
        return suits;
    }

    @Override
    public String toString() {
        return alias + ": " + key;
    }
}
