package io.sluice.samples;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Opens a load generator's connections or sessions, a bounded number at a time; failures are counted, not fatal. */
final class OpenAll {

    private static final int CONCURRENCY = 64;
    private static final Duration BOUND = Duration.ofSeconds(120);

    private OpenAll() {
    }

    /**
     * Opens {@code count} with {@code open}, counting each failure in {@code meter}; fails only if none opened,
     * naming {@code target} and the first failure as the cause. Blocks: call it from the generator's main thread.
     */
    static <T> List<T> open(int count, Supplier<Mono<T>> open, LoadMeter meter, String target) {
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        List<T> opened = Flux.range(0, count)
                .flatMap(i -> open.get().onErrorResume(e -> {
                    firstError.compareAndSet(null, e);
                    meter.failed(e);
                    return Mono.empty();
                }), CONCURRENCY)
                .collectList()
                .block(BOUND);
        if (opened == null || opened.isEmpty()) {
            throw new IllegalStateException("could not " + target, firstError.get());
        }
        return opened;
    }
}
