package io.sluice.filters.tls;

import io.netty.buffer.ByteBuf;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * Unwraps the whole records {@link CipherInbound} holds: one at a time, into no buffer at all, during the
 * handshake; in batches, into one buffer for the application, after it. Runs in the driver's drain loop.
 *
 * <p>A batch takes the consecutive whole records held, up to {@link #MAX_BATCH} bytes of them, into one buffer
 * their size (plaintext is never longer than its record), so that many small records cost one buffer and a read
 * of several records one emission. It stops early where the engine wants to say something first (a post-handshake
 * message to answer), at the peer's close_notify, and before a handshake record when those are refused.
 */
final class Decryptor {

    /** Ciphertext decrypted into one buffer for the application, at most. */
    static final int MAX_BATCH = EngineIo.MAX_RECORDS_PER_BUFFER * (EngineIo.MAX_PLAINTEXT + 256);

    private final EngineIo io;
    private final CipherInbound inbound;
    private final PlaintextReceiver receiver;

    Decryptor(EngineIo io, CipherInbound inbound, PlaintextReceiver receiver) {
        this.io = io;
        this.inbound = inbound;
        this.receiver = receiver;
    }

    /**
     * Unwraps the whole record of {@code length} bytes at the head during the handshake. Data the engine decrypts
     * with it (data riding with the handshake's last message) goes to the receiver. Returns null when the engine
     * needs more bytes than were held (more have been asked for).
     */
    SSLEngineResult handshakeRecord(int length) throws SSLException {
        ByteBuf records = inbound.cumulation();
        SSLEngineResult result;
        try {
            result = io.unwrap(records, length, null);
            if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                SSLEngineResult overflow = result;
                result = unwrapWithData(records, length);
                if (overflow.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    // said once: Netty's OpenSSL engine may finish the handshake in the call that found no room
                    result = new SSLEngineResult(result.getStatus(), HandshakeStatus.FINISHED,
                            result.bytesConsumed(), result.bytesProduced());
                }
            }
        } finally {
            inbound.consumed();
        }
        boolean tookNothing = result.bytesConsumed() == 0 && result.bytesProduced() == 0
                && result.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP;
        if (result.getStatus() == Status.BUFFER_UNDERFLOW || tookNothing) {
            underflow();
            return null;
        }
        return result;
    }

    /** True when the record at the head is a handshake record (only ask when a whole record is held). */
    boolean handshakeRecordNext() {
        return TlsRecords.contentType(inbound.cumulation()) == TlsRecords.HANDSHAKE;
    }

    /**
     * Decrypts a batch of the whole records held and hands the data to the receiver. Stops before a handshake
     * record if {@code stopAtHandshake}. Returns true when it read the peer's close_notify.
     */
    boolean decrypt(boolean stopAtHandshake) throws SSLException {
        ByteBuf out = io.allocate(Math.max(inbound.nextRecordLength(), inbound.wholeRecordBytes(MAX_BATCH)));
        boolean closed = false;
        long consumed = 0;
        try {
            for (;;) {
                int length = inbound.nextRecordLength();
                if (length == 0 || out.isReadable()
                        && (length > out.writableBytes() || stopAtHandshake && handshakeRecordNext())) {
                    break;
                }
                SSLEngineResult result = io.unwrap(inbound.cumulation(), length, out);
                consumed += result.bytesConsumed();
                Status status = result.getStatus();
                if (status == Status.BUFFER_OVERFLOW) {
                    if (out.isReadable()) {
                        break;
                    }
                    out = io.grow(out, Math.max(io.applicationSize(), out.capacity() * 2));
                    continue;
                }
                if (status == Status.CLOSED) {
                    closed = true;
                    break;
                }
                if (status == Status.BUFFER_UNDERFLOW || result.bytesConsumed() == 0) {
                    if (consumed == 0 && !out.isReadable()) {
                        underflow(); // the engine took nothing: it wants more than the record held
                    }
                    break;
                }
                HandshakeStatus hs = result.getHandshakeStatus();
                if (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
                    break; // a post-handshake message wants an answer first
                }
            }
        } catch (SSLException | RuntimeException e) {
            out.release();
            throw e;
        } finally {
            inbound.consumed();
        }
        if (out.isReadable()) {
            receiver.deliver(out);
        } else {
            out.release();
        }
        return closed;
    }

    /** Data that came with a handshake record: unwrapped into room for it, then it waits for the application. */
    private SSLEngineResult unwrapWithData(ByteBuf records, int length) throws SSLException {
        ByteBuf out = io.allocate(io.applicationSize());
        try {
            SSLEngineResult result = io.unwrap(records, length, out);
            if (out.isReadable()) {
                receiver.deliver(out);
                out = null;
            }
            return result;
        } finally {
            if (out != null) {
                out.release();
            }
        }
    }

    /** The engine needs more bytes than those held: wait for them, unless they can no longer be a record. */
    private void underflow() throws SSLException {
        if (inbound.heldBytes() > io.packetSize()) {
            throw new SSLException("not a TLS record: the engine cannot read " + inbound.heldBytes() + " bytes");
        }
        inbound.underflow();
        inbound.request();
    }
}
