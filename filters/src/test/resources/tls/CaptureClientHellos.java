import java.nio.ByteBuffer;
import java.security.Security;
import java.util.HexFormat;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Prints the first flight (the ClientHello record) of real client engines, one per line as "name hex", for
 * client-hellos.txt: the JDK's, and Bouncy Castle's when its JSSE provider is on the class path. Run from this
 * directory, with Bouncy Castle's jars (bcprov, bcutil, bctls) on the class path:
 *
 *   java -cp "$BC_JARS" CaptureClientHellos.java > client-hellos.txt
 */
public class CaptureClientHellos {

    public static void main(String[] args) throws Exception {
        System.out.println("# ClientHello records captured from real client engines by CaptureClientHellos.java");
        print("jdk-tls13-tls12", hello(SSLContext.getInstance("TLS"), new String[] {"TLSv1.3", "TLSv1.2"}, null));
        print("jdk-tls12", hello(SSLContext.getInstance("TLS"), new String[] {"TLSv1.2"}, null));
        print("jdk-tls13-alpn", hello(SSLContext.getInstance("TLS"), new String[] {"TLSv1.3"},
                new String[] {"h2", "http/1.1"}));
        try {
            Class<?> bc = Class.forName("org.bouncycastle.jsse.provider.BouncyCastleJsseProvider");
            Security.addProvider((java.security.Provider) Class.forName(
                    "org.bouncycastle.jce.provider.BouncyCastleProvider").getConstructor().newInstance());
            Security.addProvider((java.security.Provider) bc.getConstructor().newInstance());
            print("bc-tls13-tls12", hello(SSLContext.getInstance("TLS", "BCJSSE"),
                    new String[] {"TLSv1.3", "TLSv1.2"}, null));
        } catch (ClassNotFoundException e) {
            System.err.println("Bouncy Castle's JSSE provider is not on the class path: skipped");
        }
    }

    private static byte[] hello(SSLContext context, String[] protocols, String[] alpn) throws Exception {
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("localhost", 8443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setServerNames(java.util.List.of(new SNIHostName("localhost")));
        if (alpn != null) {
            parameters.setApplicationProtocols(alpn);
        }
        engine.setSSLParameters(parameters);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static void print(String name, byte[] hello) {
        System.out.println(name + " " + HexFormat.of().formatHex(hello));
    }
}
