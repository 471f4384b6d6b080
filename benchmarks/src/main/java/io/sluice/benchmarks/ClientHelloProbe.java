package io.sluice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import java.util.concurrent.atomic.LongAdder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sits under a TLS client filter and reads the first record each connection sends, its ClientHello, to count the
 * ones that offer to resume a session. In TLS 1.3 resumption needs the {@code pre_shared_key} extension (RFC 8446,
 * section 4.2.11) in the ClientHello; one without it can only start a full handshake. The handshake benchmark runs
 * TLS 1.3 only, so a count of zero proves every handshake it timed was full. Reads the bytes in place and passes
 * every buffer on untouched.
 */
final class ClientHelloProbe implements Filter {

    private static final int HANDSHAKE_RECORD = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int PRE_SHARED_KEY = 41;
    private static final int RECORD_HEADER = 5;

    private final LongAdder hellos = new LongAdder();
    private final LongAdder resumptionOffers = new LongAdder();
    private final LongAdder unreadable = new LongAdder();

    @Override
    public Connection apply(Connection lower) {
        return new Probed(lower);
    }

    /** ClientHellos read. */
    long hellos() {
        return hellos.sum();
    }

    /** ClientHellos that offered a pre-shared key, that is to resume a session. */
    long resumptionOffers() {
        return resumptionOffers.sum();
    }

    /** First records that were not a whole ClientHello. */
    long unreadable() {
        return unreadable.sum();
    }

    /** Whether the first record in {@code record} is a ClientHello offering a pre-shared key; null if unreadable. */
    static Boolean offersPreSharedKey(byte[] record) {
        try {
            if (record[0] != HANDSHAKE_RECORD || record[RECORD_HEADER] != CLIENT_HELLO) {
                return null;
            }
            int pos = RECORD_HEADER + 4 + 2 + 32; // handshake header, legacy_version, random
            pos += 1 + u8(record, pos); // legacy_session_id
            pos += 2 + u16(record, pos); // cipher_suites
            pos += 1 + u8(record, pos); // legacy_compression_methods
            int end = pos + 2 + u16(record, pos);
            if (end > record.length) {
                return null;
            }
            for (pos += 2; pos + 4 <= end; pos += 4 + u16(record, pos + 2)) {
                if (u16(record, pos) == PRE_SHARED_KEY) {
                    return true;
                }
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return null;
        }
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
    }

    /** One connection: gathers its first record as the buffers go by (serially, in the send's onNext). */
    private final class Probed extends ConnectionLayer {
        private byte[] record = new byte[RECORD_HEADER];
        private int filled;
        private boolean done;

        Probed(Connection lower) {
            super(lower);
        }

        @Override
        public Mono<Void> send(Publisher<? extends ByteBuf> data) {
            return lower.send(Flux.from(data).doOnNext(this::look));
        }

        private void look(ByteBuf buf) {
            int index = buf.readerIndex();
            int left = buf.readableBytes();
            while (!done && left > 0) {
                int n = Math.min(left, record.length - filled);
                buf.getBytes(index, record, filled, n);
                index += n;
                left -= n;
                filled += n;
                if (filled == record.length) {
                    if (record.length == RECORD_HEADER) {
                        byte[] whole = new byte[RECORD_HEADER + u16(record, 3)];
                        System.arraycopy(record, 0, whole, 0, RECORD_HEADER);
                        record = whole;
                    } else {
                        done = true;
                        count(offersPreSharedKey(record));
                        record = null;
                    }
                }
            }
        }

        private void count(Boolean offersPreSharedKey) {
            if (offersPreSharedKey == null) {
                unreadable.increment();
                return;
            }
            hellos.increment();
            if (offersPreSharedKey) {
                resumptionOffers.increment();
            }
        }
    }
}
