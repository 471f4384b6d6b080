package io.sluice.filters.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import io.sluice.api.pipe.PipeOptions;
import io.sluice.filters.fuzz.Leaks;
import io.sluice.test.Fuzz;
import io.sluice.test.Mutations;
import io.sluice.test.RandomChunking;
import io.sluice.test.SluiceTest;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Seeded fuzzing of the server filter over a pipe: valid headers of both versions (random families, commands, TLVs,
 * CRC32C), mutations of them, and random bytes, each followed by data, delivered whole and split at random. Every
 * run either gives a header equal to {@link ProxyModel}'s and exactly the bytes after it, or refuses with a
 * {@link ProxyProtocolException} and passes nothing on; whole and split agree; nothing is leaked; and no buffer larger
 * than the input is ever allocated, whatever a length field says. Failures name the seed and input ({@link Fuzz}).
 */
class ProxyHeaderFuzzTest {

    private static final int MAX_V2 = 512;
    private static final byte[] DATA = "after the header".getBytes(StandardCharsets.US_ASCII);

    @Test
    void anyInputGivesTheModelsHeaderOrARefusalAlikeWholeAndSplit() {
        ProxyProtocolServer filter = ProxyProtocolServer.builder().maxV2HeaderLength(MAX_V2).build();
        for (long seed : Fuzz.seeds()) {
            SplittableRandom random = Fuzz.random(seed);
            for (int i = 0; i < Fuzz.iterations(24); i++) {
                byte[] input;
                String what;
                int kind = random.nextInt(4);
                if (kind == 0) {
                    input = Mutations.randomBytes(random, 300);
                    what = "random bytes";
                } else if (kind == 1) {
                    input = concat(validHeader(random), DATA);
                    what = "a valid header";
                } else {
                    Mutations.Mutant m = Mutations.mutate(random, concat(validHeader(random), DATA));
                    input = m.bytes();
                    what = "a header, mutated: " + m.how();
                }
                String described = Fuzz.describe(seed, i, what, input);
                Run whole = run(filter, input, null);
                Run split = run(filter, input, RandomChunking.seeded(random.nextLong(), 1 + random.nextInt(24)));
                check(whole, input, described + ", whole");
                check(split, input, described + ", split");
                assertThat(split.data).as(described).isEqualTo(whole.data);
                assertThat(split.header).as(described).isEqualTo(whole.header);
                assertThat(String.valueOf(split.error)).as(described).isEqualTo(String.valueOf(whole.error));
                if (kind == 1) {
                    assertThat(whole.error).as("a valid header refused: " + described).isNull();
                }
            }
        }
    }

    private record Run(ProxyHeader header, byte[] data, Throwable error, int largestAllocation) {
    }

    private static void check(Run run, byte[] input, String what) {
        assertThat(run.largestAllocation).as("largest allocation for " + what).isLessThanOrEqualTo(input.length);
        ProxyModel.Header model = ProxyModel.parse(input, MAX_V2);
        if (run.error != null) {
            assertThat(run.error).as(what).isInstanceOf(ProxyProtocolException.class);
            assertThat(run.data).as("nothing passed on after a refusal: " + what).isEmpty();
            if (model != null) {
                // the model checks structure only: the filter may refuse what a registered TLV holds
                assertThat(run.error.getMessage()).as("refused a structurally valid header: " + what)
                        .containsAnyOf("TLV", "CRC32C");
            }
            return;
        }
        assertThat(model).as("accepted what the model refuses: " + what + ", got " + run.header).isNotNull();
        assertThat(run.data).as(what).isEqualTo(Arrays.copyOfRange(input, model.length(), input.length));
        ProxyHeader h = run.header;
        assertThat(h.version().name()).as(what).isEqualTo(model.version());
        assertThat(h.command() == ProxyHeader.Command.LOCAL).as(what).isEqualTo(model.local());
        assertThat(h.source()).as(what).isEqualTo(model.source());
        assertThat(h.destination()).as(what).isEqualTo(model.destination());
        assertThat(h.tlvs()).as(what).extracting(t -> String.format("%02x:", t.type())
                + java.util.HexFormat.of().formatHex(t.value())).isEqualTo(model.tlvs());
    }

    private static Run run(ProxyProtocolServer filter, byte[] input, RandomChunking chunking) {
        AtomicInteger largest = new AtomicInteger();
        ByteBufAllocator watched = watch(SluiceTest.allocator(), largest);
        PipeOptions options = PipeOptions.defaults().allocator(watched);
        Pipe pipe = Pipe.create(chunking == null ? options : options.chunking(chunking));
        Connection lower = ProxyPipe.withAddresses(pipe.right(), ProxyPipe.TRANSPORT_LOCAL, ProxyPipe.TRANSPORT_REMOTE);
        Connection upper = filter.apply(lower);
        pipe.left().send(Mono.fromCallable(() -> pipe.left().budget().allocator().buffer(input.length)
                .writeBytes(input))).then(Mono.fromRunnable(pipe.left()::shutdownOutput)).subscribe(null, e -> { });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable error = null;
        try {
            upper.receive().doOnNext(b -> ProxyPipe.append(out, b)).then().block(ProxyPipe.WAIT);
        } catch (RuntimeException e) {
            error = reactor.core.Exceptions.unwrap(e);
        }
        ProxyHeader header = upper.info().attribute(ProxyProtocol.HEADER).orElse(null);
        pipe.close();
        Mono.when(pipe.left().onClose(), pipe.right().onClose()).block(ProxyPipe.WAIT);
        Leaks.assertNone(Fuzz.hex(input));
        return new Run(header, out.toByteArray(), error, largest.get());
    }

    /** {@code parent}, noting the largest capacity asked of it. */
    private static ByteBufAllocator watch(ByteBufAllocator parent, AtomicInteger largest) {
        return (ByteBufAllocator) Proxy.newProxyInstance(ByteBufAllocator.class.getClassLoader(),
                new Class<?>[] {ByteBufAllocator.class}, (proxy, method, args) -> {
                    if (method.getName().endsWith("uffer") && args != null && args.length > 0
                            && args[0] instanceof Integer capacity) {
                        largest.accumulateAndGet(capacity, Math::max);
                    }
                    try {
                        return method.invoke(parent, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A valid header of either version: random addresses, commands, families and TLVs. */
    static byte[] validHeader(SplittableRandom random) {
        InetSocketAddress src = address(random);
        InetSocketAddress dst = address(random);
        if (random.nextBoolean()) {
            return random.nextInt(8) == 0 ? "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII)
                    : HeaderWriter.write(ProxyVersion.V1, false, src, dst, java.util.List.of(), false);
        }
        java.util.List<ProxyTlv> tlvs = new java.util.ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            int type = new int[] {ProxyTlv.ALPN, ProxyTlv.NOOP, ProxyTlv.UNIQUE_ID, 0xE0, 0xF1}[random.nextInt(5)];
            tlvs.add(new ProxyTlv(type, Mutations.randomBytes(random, 20)));
        }
        return HeaderWriter.write(ProxyVersion.V2, random.nextInt(6) == 0, random.nextInt(6) == 0 ? null : src,
                dst, tlvs, random.nextBoolean());
    }

    private static InetSocketAddress address(SplittableRandom random) {
        byte[] raw = new byte[random.nextBoolean() ? 4 : 16];
        random.nextBytes(raw);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), random.nextInt(65536));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ServerV2Test.concat(a, b);
    }
}
