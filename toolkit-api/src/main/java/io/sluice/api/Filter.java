package io.sluice.api;

import java.util.Objects;

/**
 * Turns a lower connection into an upper one: TLS, compression, framing. A filter that speaks in both directions
 * (a TLS handshake, WebSocket ping/pong) is still one filter: it calls {@code lower.send(...)} exactly once, with
 * an outbound stream that merges its own control records with the application's data in order.
 *
 * <p>Ownership: the upper connection follows the rules of {@link Connection}. A filter owns every buffer it has
 * received from {@code lower} until it emits or releases it, and releases all it holds on cancel, error and
 * completion.
 */
@FunctionalInterface
public interface Filter {

    /** Builds the upper connection over {@code lower}; called once per connection, before any byte flows. */
    Connection apply(Connection lower);

    /** Composition: {@code upper} sits on top of this filter. */
    default Filter then(Filter upper) {
        Objects.requireNonNull(upper, "upper");
        return lower -> upper.apply(apply(lower));
    }

    /** The filter that returns its connection unchanged. */
    static Filter identity() {
        return lower -> lower;
    }

    /** Composes {@code filters} in order: the first sits directly on the transport. */
    static Filter chain(Filter... filters) {
        Filter result = identity();
        for (Filter f : filters) {
            result = result.then(f);
        }
        return result;
    }
}
