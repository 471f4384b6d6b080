package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCounted;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Calls the engine's {@code wrap} and {@code unwrap} with buffers from the connection's budget, sized for what the
 * engine will write, and released or handed on as soon as the call is done: nothing is kept between calls.
 *
 * <p>Engines differ in what memory they want: Netty's OpenSSL engines (the reference-counted ones) work on direct
 * memory and copy heap buffers, the JDK's and Bouncy Castle's encrypt from and into arrays; so engine buffers are
 * direct for the former and heap for the latter. Buffers are viewed as NIO buffers without copying
 * ({@code internalNioBuffer} when they have one component, a gathering array for composites).
 *
 * <p>Sizing: the JDK's engine writes a record only into room for a whole packet, so a wrap gets
 * {@code packetBufferSize} per record, and output that filled less than half of it is copied into a buffer its
 * size, so that small messages do not hold 16 KiB each while they wait for the socket. An unwrap gets room for the
 * ciphertext it decrypts (plaintext is never longer), grown to {@code applicationBufferSize} if the engine asks.
 */
final class EngineIo {

    /** The most plaintext one TLS record carries. */
    static final int MAX_PLAINTEXT = 16 * 1024;
    /** At most this many records go into one outbound buffer. */
    static final int MAX_RECORDS_PER_BUFFER = 4;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ByteBuffer[] NO_DATA = {EMPTY};

    private final SSLEngine engine;
    private final ByteBufAllocator allocator;
    private final boolean direct;
    private final ByteBuffer[] single = new ByteBuffer[1];

    EngineIo(SSLEngine engine, ByteBufAllocator allocator) {
        this.engine = engine;
        this.allocator = allocator;
        this.direct = engine instanceof ReferenceCounted;
    }

    /** A buffer of the kind the engine works on best. */
    ByteBuf allocate(int capacity) {
        return direct ? allocator.directBuffer(capacity) : allocator.heapBuffer(capacity);
    }

    int packetSize() {
        return engine.getSession().getPacketBufferSize();
    }

    int applicationSize() {
        return engine.getSession().getApplicationBufferSize();
    }

    /** Output of a wrap: the records (null when none) and the engine's result. */
    record Wrapped(ByteBuf records, SSLEngineResult result) {
    }

    /** A wrap with no application data: handshake messages, alerts, close_notify, post-handshake messages. */
    Wrapped wrapControl() throws SSLException {
        ByteBuf out = allocate(packetSize());
        try {
            for (;;) {
                SSLEngineResult result = wrapInto(NO_DATA, out);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && !out.isReadable()) {
                    out = grow(out, Math.max(out.capacity() * 2, packetSize()));
                    continue;
                }
                ByteBuf records = rightSized(out);
                out = null;
                return new Wrapped(records, result);
            }
        } finally {
            if (out != null) {
                out.release();
            }
        }
    }

    /**
     * Encrypts from {@code plain}, advancing its reader index, into one buffer of up to
     * {@link #MAX_RECORDS_PER_BUFFER} records. Stops early when the engine asks for something else (a handshake
     * step, or it closed). {@code plain} stays the caller's.
     */
    Wrapped wrapData(ByteBuf plain) throws SSLException {
        if (direct && !plain.isDirect()) {
            return wrapCopy(plain);
        }
        int records = Math.max(1, Math.min(MAX_RECORDS_PER_BUFFER,
                (plain.readableBytes() + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT));
        int packet = packetSize();
        ByteBuf out = allocate(packet * records);
        try {
            ByteBuffer[] srcs = sources(plain);
            SSLEngineResult result;
            for (;;) {
                result = wrapInto(srcs, out);
                plain.skipBytes(result.bytesConsumed());
                SSLEngineResult.Status status = result.getStatus();
                if (status == SSLEngineResult.Status.BUFFER_OVERFLOW && !out.isReadable()) {
                    out = grow(out, Math.max(out.capacity() * 2, packetSize()));
                    continue;
                }
                if (status != SSLEngineResult.Status.OK || !plain.isReadable()
                        || result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                        || out.writableBytes() < packet) {
                    break;
                }
            }
            ByteBuf produced = rightSized(out);
            out = null;
            return new Wrapped(produced, result);
        } finally {
            single[0] = null;
            if (out != null) {
                out.release();
            }
        }
    }

    /**
     * Decrypts the first {@code length} bytes of {@code in} (advancing its reader index by what the engine read)
     * into {@code out}'s writable bytes, or, with a null {@code out}, into no room at all: during the handshake the
     * engine produces no data, and if it has some it says so with {@code BUFFER_OVERFLOW}.
     */
    SSLEngineResult unwrap(ByteBuf in, int length, ByteBuf out) throws SSLException {
        ByteBuffer src = window(in, in.readerIndex(), length);
        ByteBuffer dst = out == null ? EMPTY : window(out, out.writerIndex(), out.writableBytes());
        SSLEngineResult result = engine.unwrap(src, dst);
        in.skipBytes(result.bytesConsumed());
        if (out != null) {
            out.writerIndex(out.writerIndex() + result.bytesProduced());
        }
        return result;
    }

    /**
     * An unwrap of no bytes into no room: lets an engine that finished a step of the handshake inside the previous
     * call report it (see {@link TlsEngineDriver}); engines with nothing to report answer {@code BUFFER_UNDERFLOW}.
     */
    SSLEngineResult unwrapNothing() throws SSLException {
        return engine.unwrap(EMPTY, EMPTY);
    }

    /** A bigger replacement for an empty buffer that the engine found too small. */
    ByteBuf grow(ByteBuf empty, int capacity) {
        empty.release();
        return allocate(capacity);
    }

    private Wrapped wrapCopy(ByteBuf plain) throws SSLException {
        int n = Math.min(plain.readableBytes(), MAX_RECORDS_PER_BUFFER * MAX_PLAINTEXT);
        ByteBuf copy = allocate(n);
        try {
            copy.writeBytes(plain, plain.readerIndex(), n);
            Wrapped wrapped = wrapData(copy);
            plain.skipBytes(n - copy.readableBytes());
            return wrapped;
        } finally {
            copy.release();
        }
    }

    private SSLEngineResult wrapInto(ByteBuffer[] srcs, ByteBuf out) throws SSLException {
        ByteBuffer dst = window(out, out.writerIndex(), out.writableBytes());
        SSLEngineResult result = engine.wrap(srcs, dst);
        out.writerIndex(out.writerIndex() + result.bytesProduced());
        return result;
    }

    private ByteBuffer[] sources(ByteBuf plain) {
        if (plain.nioBufferCount() == 1) {
            single[0] = plain.internalNioBuffer(plain.readerIndex(), plain.readableBytes());
            return single;
        }
        return plain.nioBuffers(plain.readerIndex(), plain.readableBytes());
    }

    private static ByteBuffer window(ByteBuf buf, int index, int length) {
        return buf.nioBufferCount() == 1 ? buf.internalNioBuffer(index, length) : buf.nioBuffer(index, length);
    }

    /** {@code out}, or a copy its size when it used less than half of its room; null (released) when empty. */
    private ByteBuf rightSized(ByteBuf out) {
        int produced = out.readableBytes();
        if (produced == 0) {
            out.release();
            return null;
        }
        if (produced * 2 > out.capacity()) {
            return out;
        }
        try {
            ByteBuf copy = allocator.buffer(produced);
            return copy.writeBytes(out, out.readerIndex(), produced);
        } finally {
            out.release();
        }
    }
}
