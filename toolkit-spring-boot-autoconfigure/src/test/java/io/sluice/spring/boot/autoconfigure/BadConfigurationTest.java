package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A setting the Sluice builders refuse fails startup, naming the property, its value and the reason. */
class BadConfigurationTest {

    @Test
    void unknownCodecFailsStartupNamingTheProperty() {
        Contexts.echoServer().withPropertyValues("sluice.servers.echo.compression.codec=lzma").run(context -> {
            assertThat(context).hasFailed();
            assertThat(Failures.messages(context.getStartupFailure()))
                    .contains("Failed to bind properties under 'sluice.servers.echo.compression.codec'")
                    .contains("for value [lzma]");
        });
    }

    @Test
    void codecWithoutItsLibraryFailsStartupNamingTheCodecPropertyAndTheArtifact() {
        // Brotli4j is an optional dependency of the filters and is not on this module's class path.
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.compression.codec=brotli"),
                "sluice.servers.echo.compression.codec", "com.aayushatharva.brotli4j:brotli4j");
    }

    @Test
    void levelOutsideTheCodecsScaleNamesTheLevelProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.compression.codec=gzip",
                "sluice.servers.echo.compression.level=12"),
                "sluice.servers.echo.compression.level", "gzip level must be in 0..9, got 12");
    }

    @Test
    void windowTheCodecCannotUseNamesTheWindowProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.compression.codec=deflate",
                "sluice.servers.echo.compression.window=12"),
                "sluice.servers.echo.compression.window", "window must be 0 (default) or in 15..15");
    }

    @Test
    void chunkSizeOutOfRangeNamesTheChunkSizeProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.compression.codec=gzip",
                "sluice.servers.echo.compression.chunk-size=8B"),
                "sluice.servers.echo.compression.chunk-size", "chunkSize must be in 64..");
    }

    @Test
    void portOutOfRangeNamesThePortProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.port=70000"),
                "sluice.servers.echo.port", "port must be in 0..65535, got 70000");
    }

    @Test
    void lowWaterMarkAboveTheHighOneNamesTheLowWaterMark() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.budget.low-water-mark=1MB",
                "sluice.servers.echo.budget.high-water-mark=512KB"),
                "sluice.servers.echo.budget.low-water-mark", "0 <= low < high");
    }

    @Test
    void highWaterMarkThatIsNotPositiveNamesTheHighWaterMark() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.budget.high-water-mark=0B"),
                "sluice.servers.echo.budget.high-water-mark", "0 <= low < high");
    }

    @Test
    void aNegativeRateNamesItsProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.rate-limit.send-rate=-1KB"),
                "sluice.servers.echo.rate-limit.send-rate", "must be at least 0 bytes per second");
    }

    @Test
    void aBurstThatIsNotPositiveNamesTheBurst() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues(
                "sluice.servers.echo.rate-limit.receive-rate=1MB", "sluice.servers.echo.rate-limit.burst=0B"),
                "sluice.servers.echo.rate-limit.burst", "burst must be > 0 bytes, got 0");
    }

    @Test
    void aTrustedSourceThatIsNotAnAddressNamesItsProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues(
                "sluice.servers.echo.proxy-protocol.enabled=true",
                "sluice.servers.echo.proxy-protocol.trusted-sources=10.0.0.0/8,balancer.example"),
                "sluice.servers.echo.proxy-protocol.trusted-sources", "an address or CIDR block");
    }

    @Test
    void aHeaderTimeoutThatIsNotPositiveNamesItsProperty() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues(
                "sluice.servers.echo.proxy-protocol.enabled=true", "sluice.servers.echo.proxy-protocol.header-timeout=0s"),
                "sluice.servers.echo.proxy-protocol.header-timeout", "");
    }

    @Test
    void framingSettingOfAnotherFramingTypeIsRefused() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.framing.type=line",
                "sluice.servers.echo.framing.length-field-bytes=2"),
                "sluice.servers.echo.framing.length-field-bytes",
                "applies to framing.type length-field only, but framing.type is line");
    }

    @Test
    void lengthFieldThatCannotHoldTheFrameLimitNamesTheFrameLimit() {
        Failures.assertRefused(Contexts.echoServer().withPropertyValues("sluice.servers.echo.framing.type=length-field",
                "sluice.servers.echo.framing.length-field-bytes=1",
                "sluice.servers.echo.framing.max-frame-length=1KB"),
                "sluice.servers.echo.framing.max-frame-length", "1024");
    }

    @Test
    void serverNamesThatAreNotPlainWordsAreNamedInBracketForm() {
        Failures.assertRefused(Contexts.withStarter().withUserConfiguration(Handlers.Upper.class)
                        .withPropertyValues("sluice.servers[Upper.Case].port=70000"),
                "sluice.servers[Upper.Case].port", "port must be in 0..65535");
    }
}
