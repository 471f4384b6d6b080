package io.sluice.test;

import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * Operators that break a stream on purpose at a chosen step, for use with {@code transform}:
 * {@code data.transform(Faults.cancelAfter(3))}.
 *
 * <p>Ownership: the elements passed downstream belong to the downstream subscriber as usual. At the fault the
 * upstream is cancelled; any element it still emits afterwards is released here (if reference-counted), since
 * nobody downstream will ever see it.
 */
public final class Faults {

    private Faults() {
    }

    /** Passes {@code n} elements, then cancels the upstream and completes the downstream. */
    public static <T> Function<Flux<T>, Flux<T>> cancelAfter(long n) {
        requireSteps(n);
        return source -> new StepFaultFlux<>(source, n, null);
    }

    /** Passes {@code n} elements, then cancels the upstream and errors the downstream with {@code error}. */
    public static <T> Function<Flux<T>, Flux<T>> errorAfter(long n, Throwable error) {
        requireSteps(n);
        Objects.requireNonNull(error, "error");
        return source -> new StepFaultFlux<>(source, n, error);
    }

    /** {@link #errorAfter(long, Throwable)} with an {@link InjectedFault} naming the step. */
    public static <T> Function<Flux<T>, Flux<T>> errorAfter(long n) {
        return errorAfter(n, new InjectedFault("fault injected after " + n + " element(s)"));
    }

    /** Applies {@code fault} to a plain publisher. */
    public static <T> Flux<T> inject(Publisher<T> source, Function<Flux<T>, Flux<T>> fault) {
        return Flux.from(source).transform(fault);
    }

    private static void requireSteps(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
    }
}
