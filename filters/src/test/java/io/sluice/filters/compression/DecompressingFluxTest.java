package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.sluice.test.SluiceTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class DecompressingFluxTest {

    /** Regression: the first input leaked when the codec could not start (its decoder factory threw). */
    @Test
    void inputIsReleasedWhenTheDecoderCannotStart() {
        ByteBuf input = SluiceTest.allocator().buffer().writeBytes(new byte[] {1, 2, 3});
        AtomicInteger badInput = new AtomicInteger();
        DecompressingFlux flux = new DecompressingFlux(Flux.just(input), () -> {
            throw new IllegalStateException("codec unavailable");
        }, CompressionOptions.builder(Codec.DEFLATE).build(), SluiceTest.allocator(), e -> badInput.incrementAndGet());
        StepVerifier.create(flux)
                .expectErrorMessage("codec unavailable")
                .verify(Duration.ofSeconds(5));
        assertThat(input.refCnt()).isZero();
        assertThat(badInput).hasValue(0);
    }
}
