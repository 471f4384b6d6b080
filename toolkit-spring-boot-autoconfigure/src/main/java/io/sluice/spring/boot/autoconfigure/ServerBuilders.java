package io.sluice.spring.boot.autoconfigure;

import io.sluice.api.Filter;
import io.sluice.api.Handler;
import io.sluice.filters.compression.Compression;
import io.sluice.filters.compression.CompressionOptions;
import io.sluice.filters.framing.LengthFieldFraming;
import io.sluice.filters.framing.LineFraming;
import io.sluice.filters.shaping.RateLimit;
import io.sluice.filters.tls.TlsFilter;
import io.sluice.reactor.Server;
import io.sluice.spring.boot.SluiceWebSocketHandler;
import java.util.Locale;
import java.util.function.Consumer;
import org.springframework.util.unit.DataSize;

/**
 * Makes a {@link Server.Builder} from the settings of one server. Filters are stacked socket first: the PROXY
 * protocol header, rate limit, TLS, compression, then framing, or a WebSocket endpoint in framing's place (the two together are refused). A value a builder refuses
 * fails with the name of its property.
 *
 * <p>The Sluice builders check their settings together when built, so each setting is tried with a build right
 * after it is set: the first refusal then belongs to the setting just made.
 */
final class ServerBuilders {

    private ServerBuilders() {
    }

    static Server.Builder create(String name, SluiceServerProperties settings, Handler handler) {
        return create(name, settings, (Object) handler, resource -> { });
    }

    /**
     * The server of {@code settings}, serving {@code handler}: a {@link Handler}, or for a WebSocket endpoint
     * ({@code websocket.path} set) a {@link SluiceWebSocketHandler}. {@code resources} is given what the server's
     * filters hold beyond one binding (a TLS context), to be closed when the server is gone for good.
     */
    static Server.Builder create(String name, SluiceServerProperties settings, Object handler,
            Consumer<AutoCloseable> resources) {
        PropertyCheck at = new PropertyCheck(name);
        Server.Builder server = Server.tcp();
        at.set("host", settings.getHost(), server::host);
        at.set("port", settings.getPort(), server::port);
        at.set("max-connections", settings.getMaxConnections(), server::maxConnections);
        at.set("backlog", settings.getBacklog(), server::backlog);
        if (settings.getIdleTimeout() != null) {
            at.set("idle-timeout", settings.getIdleTimeout(), server::idleTimeout);
        }
        if (settings.getEventLoopThreads() != null) {
            at.set("event-loop-threads", settings.getEventLoopThreads(), server::eventLoopThreads);
        }
        budget(at, settings.getBudget(), server);
        Filter proxyProtocol = ProxyProtocolFilters.create(at, settings.getProxyProtocol());
        if (proxyProtocol != null) {
            server.filter(proxyProtocol);
        }
        Filter rateLimit = rateLimit(at, settings.getRateLimit());
        if (rateLimit != null) {
            server.filter(rateLimit);
        }
        TlsFilter tls = TlsFilters.create(at, settings.getTls());
        if (tls != null) {
            resources.accept(tls);
            server.filter(tls);
        }
        Filter compression = compression(at, settings.getCompression());
        if (compression != null) {
            server.filter(compression);
        }
        if (WebSocketEndpoints.configured(settings.getWebsocket())) {
            refuseFraming(at, settings.getFraming());
            server.handler(WebSocketEndpoints.create(at, settings.getWebsocket(), tls != null,
                    (SluiceWebSocketHandler) handler));
            return server;
        }
        Filter framing = framing(at, settings.getFraming());
        if (framing != null) {
            server.filter(framing);
        }
        return server.handler((Handler) handler);
    }

    /** A WebSocket endpoint frames its own messages: stream framing under it would break the handshake. */
    private static void refuseFraming(PropertyCheck at, FramingProperties framing) {
        if (framing.getType() != FramingType.NONE) {
            throw at.invalid("framing.type", framing.getType().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    "a WebSocket endpoint (websocket.path is set) does its own framing; remove framing.type or "
                            + "websocket.path");
        }
        onlyFor(at, framing, "framing.max-frame-length", framing.getMaxFrameLength(), "line or length-field");
        onlyFor(at, framing, "framing.delimiter", framing.getDelimiter(), "line");
        onlyFor(at, framing, "framing.length-field-bytes", framing.getLengthFieldBytes(), "length-field");
    }

    private static void budget(PropertyCheck at, BudgetProperties budget, Server.Builder server) {
        DataSize high = budget.getHighWaterMark();
        DataSize low = budget.getLowWaterMark() != null ? budget.getLowWaterMark()
                : DataSize.ofBytes(high.toBytes() / 2);
        // The builder checks the pair: a high mark that is not positive is at fault, otherwise the low one.
        if (high.toBytes() <= 0) {
            at.set("budget.high-water-mark", high, v -> server.budget(low.toBytes(), v.toBytes()));
        } else {
            at.set("budget.low-water-mark", low, v -> server.budget(v.toBytes(), high.toBytes()));
        }
    }

    private static Filter rateLimit(PropertyCheck at, RateLimitProperties settings) {
        long receive = rate(at, "rate-limit.receive-rate", settings.getReceiveRate());
        long send = rate(at, "rate-limit.send-rate", settings.getSendRate());
        if (receive == 0 && send == 0) {
            return null;
        }
        RateLimit.Builder limit = RateLimit.builder().receiveRate(receive).sendRate(send);
        at.set("rate-limit.burst", settings.getBurst(), v -> limit.burst(v.toBytes()).build());
        return limit.build();
    }

    /** Bytes per second; unset or 0 is no limit. */
    private static long rate(PropertyCheck at, String property, DataSize rate) {
        if (rate == null) {
            return 0;
        }
        if (rate.isNegative()) {
            throw at.invalid(property, rate, "must be at least 0 bytes per second (0 or unset: no limit)");
        }
        return rate.toBytes();
    }

    private static Filter compression(PropertyCheck at, CompressionProperties settings) {
        if (settings.getCodec() == null) {
            return null;
        }
        CompressionOptions.Builder options = CompressionOptions.builder(settings.getCodec());
        if (settings.getLevel() != null) {
            at.set("compression.level", settings.getLevel(), v -> options.level(v).build());
        }
        at.set("compression.window", settings.getWindow(), v -> options.window(v).build());
        at.set("compression.flush-every-bytes", settings.getFlushEveryBytes(),
                v -> options.flushEveryBytes(at.intBytes("compression.flush-every-bytes", v)).build());
        at.set("compression.max-decompressed-per-input", settings.getMaxDecompressedPerInput(),
                v -> options.maxDecompressedPerInput(v.toBytes()).build());
        at.set("compression.max-expansion-ratio", settings.getMaxExpansionRatio(),
                v -> options.maxExpansionRatio(v, settings.getExpansionRatioFloor().toBytes()).build());
        at.set("compression.expansion-ratio-floor", settings.getExpansionRatioFloor(),
                v -> options.maxExpansionRatio(settings.getMaxExpansionRatio(), v.toBytes()).build());
        at.set("compression.chunk-size", settings.getChunkSize(),
                v -> options.chunkSize(at.intBytes("compression.chunk-size", v)).build());
        at.set("compression.close-timeout", settings.getCloseTimeout(), v -> options.closeTimeout(v).build());
        try {
            return Compression.of(options.build());
        } catch (IllegalStateException unavailable) {
            // Brotli or zstd without its optional library: the message names the artifact to add.
            throw at.invalid("compression.codec", settings.getCodec().label(), unavailable.getMessage());
        }
    }

    private static Filter framing(PropertyCheck at, FramingProperties settings) {
        switch (settings.getType()) {
            case NONE -> {
                onlyFor(at, settings, "framing.max-frame-length", settings.getMaxFrameLength(), "line or length-field");
                onlyFor(at, settings, "framing.delimiter", settings.getDelimiter(), "line");
                onlyFor(at, settings, "framing.length-field-bytes", settings.getLengthFieldBytes(), "length-field");
                return null;
            }
            case LINE -> {
                onlyFor(at, settings, "framing.length-field-bytes", settings.getLengthFieldBytes(), "length-field");
                LineFraming.Builder line = LineFraming.builder();
                if (settings.getDelimiter() != null) {
                    at.set("framing.delimiter", settings.getDelimiter(), v -> line.delimiter(v).build());
                }
                if (settings.getMaxFrameLength() != null) {
                    at.set("framing.max-frame-length", settings.getMaxFrameLength(),
                            v -> line.maxLineLength(at.intBytes("framing.max-frame-length", v)).build());
                }
                return line.build();
            }
            case LENGTH_FIELD -> {
                onlyFor(at, settings, "framing.delimiter", settings.getDelimiter(), "line");
                LengthFieldFraming.Builder field = LengthFieldFraming.builder();
                if (settings.getLengthFieldBytes() != null) {
                    at.set("framing.length-field-bytes", settings.getLengthFieldBytes(),
                            v -> field.lengthFieldBytes(v).build());
                }
                if (settings.getMaxFrameLength() != null) {
                    at.set("framing.max-frame-length", settings.getMaxFrameLength(),
                            v -> field.maxFrameLength(at.intBytes("framing.max-frame-length", v)).build());
                }
                return field.build();
            }
            default -> throw new IllegalStateException("unhandled framing type " + settings.getType());
        }
    }

    /** A framing setting given for a framing type it does not apply to is a mistake worth reporting. */
    private static void onlyFor(PropertyCheck at, FramingProperties settings, String property, Object value,
            String types) {
        if (value != null) {
            throw at.invalid(property, value, "applies to framing.type " + types + " only, but framing.type is "
                    + settings.getType().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
    }
}
