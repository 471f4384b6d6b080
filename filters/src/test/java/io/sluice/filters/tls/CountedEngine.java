package io.sluice.filters.tls;

import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCounted;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A JDK engine dressed as Netty's OpenSSL engines are: reference-counted, so the driver must release it exactly
 * once and gives it direct buffers. Optionally picky, like engines that want a whole application buffer of room
 * for every unwrap, so that the driver's growing of too-small buffers is exercised.
 */
final class CountedEngine extends SSLEngine implements ReferenceCounted {

    private final SSLEngine engine;
    private final boolean picky;
    private final AtomicInteger refCnt = new AtomicInteger(1);
    private final AtomicInteger releases = new AtomicInteger();
    final AtomicInteger heapBuffersSeen = new AtomicInteger();

    CountedEngine(SSLEngine engine, boolean picky) {
        this.engine = engine;
        this.picky = picky;
    }

    static TlsEngineSource around(TestEngines.Builder builder, boolean picky,
                                  java.util.List<CountedEngine> made) {
        javax.net.ssl.SSLContext context = builder.context();
        return info -> {
            CountedEngine engine = new CountedEngine(builder.engine(context), picky);
            made.add(engine);
            return engine;
        };
    }

    /** How many times {@link #release()} brought the count to zero (must end at exactly one). */
    int releases() {
        return releases.get();
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        check();
        for (int i = offset; i < offset + length; i++) {
            count(srcs[i]);
        }
        count(dst);
        return engine.wrap(srcs, offset, length, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        check();
        count(src);
        int room = 0;
        for (int i = offset; i < offset + length; i++) {
            count(dsts[i]);
            room += dsts[i].remaining();
        }
        if (picky && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                && room < engine.getSession().getApplicationBufferSize()) {
            return new SSLEngineResult(SSLEngineResult.Status.BUFFER_OVERFLOW, engine.getHandshakeStatus(), 0, 0);
        }
        return engine.unwrap(src, dsts, offset, length);
    }

    private void count(ByteBuffer b) {
        if (b.capacity() > 0 && !b.isDirect()) {
            heapBuffersSeen.incrementAndGet();
        }
    }

    private void check() {
        if (refCnt.get() <= 0) {
            throw new IllegalStateException("engine used after it was released");
        }
    }

    @Override
    public int refCnt() {
        return refCnt.get();
    }

    @Override
    public ReferenceCounted retain() {
        refCnt.incrementAndGet();
        return this;
    }

    @Override
    public ReferenceCounted retain(int increment) {
        refCnt.addAndGet(increment);
        return this;
    }

    @Override
    public ReferenceCounted touch() {
        return this;
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        int now = refCnt.addAndGet(-decrement);
        if (now < 0) {
            throw new IllegalReferenceCountException(now + decrement, -decrement);
        }
        if (now == 0) {
            releases.incrementAndGet();
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ plain delegation

    @Override
    public Runnable getDelegatedTask() {
        return engine.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
        engine.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return engine.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        engine.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return engine.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        engine.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return engine.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        engine.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        engine.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return engine.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters parameters) {
        engine.setSSLParameters(parameters);
    }

    @Override
    public String getApplicationProtocol() {
        return engine.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return engine.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, java.util.List<String>, String> s) {
        engine.setHandshakeApplicationProtocolSelector(s);
    }
}
