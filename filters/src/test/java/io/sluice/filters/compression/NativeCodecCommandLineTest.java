package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.sluice.api.Connection;
import io.sluice.api.pipe.Pipe;
import io.sluice.test.TrackedPipes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

/** Interoperability with the reference tools: Debian's {@code brotli} and {@code zstd} packages. */
class NativeCodecCommandLineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void ourStreamDecodesWithTheCommandLineTool(Codec codec) throws Exception {
        byte[] data = NativeStreams.text(11, 500_000);
        Pipe pipe = TrackedPipes.create();
        Connection sender = Compression.of(codec).apply(pipe.left());
        Mono<byte[]> wire = NativeStreams.receiveAll(pipe.right()).cache();
        wire.subscribe();
        sender.send(NativeStreams.writes(sender, data, 7000)).block(TIMEOUT);
        sender.close();
        Path compressed = dir.resolve("ours." + codec.label());
        Files.write(compressed, wire.block(TIMEOUT));
        Path decoded = dir.resolve("decoded");
        run(codec, List.of(codec.label(), "-d", "-c", compressed.toString()), decoded);
        assertThat(Files.readAllBytes(decoded)).isEqualTo(data);
        NativeCodecRoundTripTest.closeAndWait(pipe);
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"BROTLI", "ZSTD"})
    void theCommandLineToolsStreamDecodesWithOurs(Codec codec) throws Exception {
        byte[] data = NativeStreams.text(12, 500_000);
        Path plain = dir.resolve("plain");
        Files.write(plain, data);
        Path compressed = dir.resolve("theirs." + codec.label());
        run(codec, List.of(codec.label(), "-c", plain.toString()), compressed);
        byte[] stream = Files.readAllBytes(compressed);
        Pipe pipe = TrackedPipes.create(io.sluice.api.pipe.Chunking.atMost(1000));
        Connection receiver = Compression.of(codec).apply(pipe.right());
        Mono<byte[]> received = NativeStreams.receiveAll(receiver).cache();
        received.subscribe();
        ByteBuf buf = pipe.left().budget().allocator().buffer(stream.length).writeBytes(stream);
        pipe.left().send(Mono.just(buf)).then(Mono.fromRunnable(pipe.left()::shutdownOutput)).subscribe();
        assertThat(received.block(TIMEOUT)).isEqualTo(data);
        NativeCodecRoundTripTest.closeAndWait(pipe);
    }

    /** Runs the tool with its standard output to {@code out}; fails naming the package if it is not installed. */
    private static void run(Codec codec, List<String> command, Path out) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new AssertionError("the " + codec.label() + " command-line tool is missing: install the Debian "
                    + "package '" + codec.label() + "' (apt-get install " + codec.label() + ")", e);
        }
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command + " did not finish within " + TIMEOUT);
        }
        String errors = new String(process.getErrorStream().readAllBytes());
        assertThat(process.exitValue()).as(command + " exit status; stderr: " + errors).isZero();
    }
}
