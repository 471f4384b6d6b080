package io.sluice.filters.tls;

import static io.sluice.filters.tls.TlsPipe.TIMEOUT;
import static io.sluice.filters.tls.TlsPipe.buffer;
import static io.sluice.filters.tls.TlsPipe.gather;
import static io.sluice.filters.tls.TlsPipe.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.api.pipe.Chunking;
import io.sluice.test.RandomChunking;
import java.util.Arrays;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Records arrive however the network splits them: a byte at a time, split at every position, several per read.
 * The handshake and the data survive each, and nothing is left behind.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.sluice.filters.tls.ProviderPair#pairs")
class RecordSplittingTest {

    @AutoClose
    private final ProviderEngines engines;

    RecordSplittingTest(ProviderPair providers) {
        this.engines = new ProviderEngines(providers);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aHandshakeAndARecordDeliveredOneByteAtATime(String protocol) {
        exchange(protocol, Chunking.everyByte(), random(5_000, 1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void everyRecordSplitAtEveryPositionOfASmallRecord(String protocol) {
        // A 1-byte message is a 30-byte (TLS 1.2) or 39-byte (TLS 1.3) record; handshake records are split too.
        for (int at = 1; at <= 45; at++) {
            exchange(protocol, new SplitAt(at), new byte[] {(byte) at});
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aFullRecordSplitAroundItsHeaderAndItsEnd(String protocol) {
        byte[] data = random(16 * 1024, 3); // a full record of about 16.4 KB (and on TLS 1.3 a small one after it)
        for (int at : new int[] {1, 2, 3, 4, 5, 6, 7, 100, 8_000, 16_380, 16_400, 16_405, 16_406, 16_412, 16_413}) {
            exchange(protocol, new SplitAt(at), data);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void manyRecordsPerReadAndRandomSplits(String protocol) {
        for (long seed = 0; seed < 4; seed++) {
            exchange(protocol, RandomChunking.seeded(seed, 70_000), random(300_000, seed));
        }
    }

    /** The client sends {@code data} in 1,000-byte messages; the echo returns it; both close cleanly. */
    private void exchange(String protocol, Chunking chunking, byte[] data) {
        TlsPipe p = TlsPipe.create(engines, protocol, chunking).echo();
        Mono<byte[]> echoed = gather(p.client.receive(), data.length).cache();
        echoed.subscribe();
        int piece = 1000;
        Flux<ByteBuf> messages = Flux.range(0, (data.length + piece - 1) / piece).map(i -> buffer(p.client,
                Arrays.copyOfRange(data, i * piece, Math.min(data.length, (i + 1) * piece))));
        p.client.send(messages).block(TIMEOUT);
        assertThat(echoed.block(TIMEOUT)).as("echo with %s", chunking).isEqualTo(data);
        p.client.close();
        p.awaitBothClosed();
        p.closeAndAwait();
    }
}
