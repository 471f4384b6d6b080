package io.sluice.api;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import java.util.function.Consumer;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Reactor's discard hook for buffers (ownership rule 3): operators that drop an element (a {@code filter}, a
 * cancelled {@code delayElements}, a queue cleared on cancel) hand it to the hook found in their subscriber's
 * context, which releases it. Transports put the hook into the context of every stream they subscribe to, so it
 * reaches every operator the application composes in its handler and its sends.
 */
public final class BufferDiscard {

    private static final Consumer<Object> RELEASE = element -> {
        if (element instanceof AccountedByteBuf accounted) {
            // Asked of the budget's own wrapper: a pooled buffer released by the application may already be
            // serving another read, and its count would say so.
            if (accounted.live()) {
                ReferenceCountUtil.safeRelease(accounted);
            }
        } else if (element instanceof ReferenceCounted counted && counted.refCnt() > 0) {
            ReferenceCountUtil.safeRelease(counted);
        }
    };

    /** The hook alone: immutable, so every subscriber without a context of its own shares it. */
    private static final Context HOOK_ONLY = Operators.enableOnDiscard(Context.empty(), RELEASE);
    /** The key Reactor keeps the discard hook under. */
    private static final Object HOOK_KEY = HOOK_ONLY.stream().findFirst().orElseThrow().getKey();

    private BufferDiscard() {
    }

    /**
     * {@code context} with the releasing discard hook added. Allocates nothing when {@code context} is empty or
     * already has this hook (a subscriber downstream of a transport's), which saves a context per subscriber on
     * every connection.
     */
    public static Context enable(ContextView context) {
        if (context.isEmpty()) {
            return HOOK_ONLY;
        }
        if (context.getOrDefault(HOOK_KEY, null) == RELEASE) {
            return Context.of(context);
        }
        return Operators.enableOnDiscard(Context.of(context), RELEASE);
    }
}
