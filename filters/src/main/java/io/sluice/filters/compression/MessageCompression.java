package io.sluice.filters.compression;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.ConnectionLayer;
import io.sluice.api.Filter;
import java.util.Objects;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Message-level compression for framed connections: stack it on a framing filter, so that each buffer below is one
 * message. Each outbound message of at least {@code threshold} bytes is compressed on its own (and decodes on its
 * own); smaller ones go stored, since compressing them costs more than it saves.
 *
 * <p>Wire format of each message: one flag byte, {@code 0} stored or {@code 1} compressed with the codec, then the
 * payload. Both ends must use the same codec and context-takeover setting.
 *
 * <p>Ownership: {@code send(data)} takes each buffer (one message) and releases it once encoded; {@code receive()}
 * emits one buffer per message, owned by the subscriber. A message whose decompressed size would exceed
 * {@code maxMessageSize}, a corrupt one, or an unknown flag fails {@code receive()} with a
 * {@link DecompressionException}, logs one WARN line naming the connection and closes it.
 */
public final class MessageCompression implements Filter {

    static final int STORED = 0;
    static final int COMPRESSED = 1;

    private final CompressionOptions options;
    private final int threshold;
    private final long maxMessageSize;
    private final boolean contextTakeover;

    private MessageCompression(Builder b) {
        this.options = b.options;
        this.threshold = b.threshold;
        this.maxMessageSize = b.maxMessageSize;
        this.contextTakeover = b.contextTakeover;
    }

    public static Builder builder(CompressionOptions options) {
        return new Builder(options);
    }

    @Override
    public Connection apply(Connection lower) {
        return new Layer(lower);
    }

    @Override
    public String toString() {
        return "MessageCompression[" + options + ", threshold " + threshold + " B, max " + maxMessageSize + " B"
                + (contextTakeover ? "" : ", no context takeover") + "]";
    }

    private final class Layer extends ConnectionLayer {
        private final MessageCompressor compressor;
        private final MessageDecompressor decompressor;

        Layer(Connection lower) {
            super(lower);
            this.compressor = new MessageCompressor(options, lower.budget().allocator(), contextTakeover);
            this.decompressor = new MessageDecompressor(options, lower.budget().allocator(), contextTakeover);
            lower.onClose().subscribe(null, e -> freeCodecs(), this::freeCodecs);
        }

        private void freeCodecs() {
            compressor.close();
            decompressor.close();
        }

        @Override
        public Flux<ByteBuf> receive() {
            return lower.receive().handle(this::decode);
        }

        @Override
        public Mono<Void> send(Publisher<? extends ByteBuf> data) {
            return lower.send(Flux.<ByteBuf>from(data).handle(this::encode));
        }

        private void encode(ByteBuf message, SynchronousSink<ByteBuf> sink) {
            boolean compress = message.readableBytes() >= threshold;
            ByteBuf flag = lower.budget().allocator().buffer(1, 1).writeByte(compress ? COMPRESSED : STORED);
            try {
                ByteBuf payload = compress ? compressor.compress(message) : message;
                sink.next(lower.budget().allocator().compositeBuffer(2).addComponents(true, flag, payload));
            } catch (Exception e) {
                flag.release();
                sink.error(e);
            }
        }

        private void decode(ByteBuf message, SynchronousSink<ByteBuf> sink) {
            boolean owned = true; // until handed to the decompressor, which releases it whatever happens
            try {
                if (!message.isReadable()) {
                    throw new DecompressionException("empty message: the flag byte is missing");
                }
                int flag = message.readUnsignedByte();
                if (flag == STORED) {
                    if (message.readableBytes() > maxMessageSize) {
                        throw new DecompressionLimitException("a stored message of " + message.readableBytes()
                                + " bytes exceeds the limit of " + maxMessageSize + " bytes");
                    }
                    owned = false;
                    sink.next(message);
                    return;
                }
                if (flag != COMPRESSED) {
                    throw new DecompressionException("unknown message flag " + flag + " (0 stored, 1 compressed)");
                }
                owned = false;
                sink.next(decompressor.decompress(message, maxMessageSize));
            } catch (DecompressionException e) {
                if (owned) {
                    message.release();
                }
                Logger log = Loggers.getLogger(MessageCompression.class);
                log.warn("connection {}: closing on a bad {} message: {}", lower.info().id(),
                        options.codec().label(), e.getMessage());
                lower.close();
                sink.error(e);
            } catch (Exception e) {
                if (owned) {
                    message.release();
                }
                sink.error(e);
            }
        }
    }

    /** Settings of a {@link MessageCompression}. */
    public static final class Builder {
        private final CompressionOptions options;
        private int threshold = 256;
        private long maxMessageSize = 1024 * 1024;
        private boolean contextTakeover = true;

        private Builder(CompressionOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        /** Messages shorter than this go stored. Default 256 bytes. */
        public Builder threshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("threshold must be >= 0, got " + bytes);
            }
            this.threshold = bytes;
            return this;
        }

        /** The largest message accepted, counted after decompression. Default 1 MiB. */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxMessageSize must be >= 1, got " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** Whether messages share one compression context (better ratio, one context held per connection). */
        public Builder contextTakeover(boolean contextTakeover) {
            this.contextTakeover = contextTakeover;
            return this;
        }

        public MessageCompression build() {
            return new MessageCompression(this);
        }
    }
}
