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
        if (element instanceof ReferenceCounted counted && counted.refCnt() > 0) {
            ReferenceCountUtil.safeRelease(counted);
        }
    };

    /** The hook alone; shared, since every connection asks for it and a server may hold very many. */
    private static final Context ENABLED = Operators.enableOnDiscard(Context.empty(), RELEASE);
    /** Reactor's key for the hook, read off {@link #ENABLED} rather than spelled here. */
    private static final Object KEY = ENABLED.stream().findFirst().orElseThrow().getKey();

    private BufferDiscard() {
    }

    /**
     * {@code context} with the releasing discard hook added: the same context when it already has it, a shared one
     * when it is empty.
     */
    public static Context enable(ContextView context) {
        if (context.isEmpty()) {
            return ENABLED;
        }
        if (context instanceof Context c && context.getOrDefault(KEY, null) == RELEASE) {
            return c;
        }
        return Operators.enableOnDiscard(Context.of(context), RELEASE);
    }
}
