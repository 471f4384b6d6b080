package io.sluice.api;

import io.netty.buffer.ByteBuf;

/**
 * A live buffer of a tracking {@link BufferBudget}, as seen by {@link BufferBudget#outstanding()}.
 *
 * @param buffer the buffer; it still belongs to its owner
 * @param lastHint the last {@link ByteBuf#touch(Object) touch} hint, or {@code null} if never touched
 * @param allocationSite where it was allocated, if the budget records allocation sites, else {@code null}
 */
public record OutstandingBuffer(ByteBuf buffer, Object lastHint, Throwable allocationSite) {
}
