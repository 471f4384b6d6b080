package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.pipe.Chunking;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Input a decoder must refuse: receive() fails with a {@link DecompressionException} and an exact message, the
 * filter closes the lower connection, and nothing leaks (the test kit checks the allocator after each test).
 */
class BadInputTest {

    private static final byte[] HELLO = "hello".getBytes();

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static void assertRefused(Codec codec, Chunking chunking, byte[] wire, String message) {
        Throwable e = PeerBytes.failure(codec, chunking, wire);
        assertThat(e).isExactlyInstanceOf(DecompressionException.class).hasMessage(message);
    }

    @Test
    void aReservedDeflateBlockTypeIsCorruptZlib() {
        assertRefused(Codec.DEFLATE, Chunking.everyByte(), hex("789c 07"), // zlib header, then BFINAL=1 BTYPE=11
                "corrupt zlib stream: invalid block type");
    }

    @Test
    void aReservedDeflateBlockTypeIsCorruptRawDeflate() {
        assertRefused(Codec.DEFLATE_RAW, Chunking.everyByte(), hex("07"), "corrupt raw deflate stream: invalid block type");
    }

    @Test
    void aReservedDeflateBlockTypeIsCorruptGzip() {
        assertRefused(Codec.GZIP, Chunking.everyByte(), hex("1f8b 08 00 00000000 00 ff  07"),
                "corrupt gzip stream: invalid block type");
    }

    @ParameterizedTest
    @EnumSource(names = {"DEFLATE", "DEFLATE_RAW", "GZIP"})
    void aStreamCutBeforeItsEndIsTruncated(Codec codec) {
        byte[] whole = ReferenceCodecs.compress(codec, ReferenceCodecs.text(10_000, 3));
        for (int cut : new int[] {1, whole.length / 2, whole.length - 1}) {
            assertRefused(codec, Chunking.atMost(512), Arrays.copyOf(whole, cut),
                    "stream ended before its end marker: truncated " + codec.label() + " data");
        }
    }

    @Test
    void bytesAfterTheEndOfAZlibStreamAreRefused() {
        byte[] wire = ReferenceCodecs.concat(ReferenceCodecs.compress(Codec.DEFLATE, HELLO), "xyz".getBytes());
        assertRefused(Codec.DEFLATE, Chunking.whole(), wire, "3 bytes after the end of the zlib stream");
    }

    @Test
    void bytesAfterTheEndOfARawDeflateStreamAreRefused() {
        byte[] wire = ReferenceCodecs.concat(ReferenceCodecs.compress(Codec.DEFLATE_RAW, HELLO), "xyz".getBytes());
        assertRefused(Codec.DEFLATE_RAW, Chunking.whole(), wire, "3 bytes after the end of the raw deflate stream");
    }

    @Test
    void bytesAfterAGzipMemberThatStartNoMemberAreRefused() {
        byte[] wire = ReferenceCodecs.concat(ReferenceCodecs.gzip(HELLO), "xyz".getBytes());
        assertRefused(Codec.GZIP, Chunking.everyByte(), wire, "garbage after gzip member 1: ID1 is 0x78, expected 0x1f");
    }

    @Test
    void aGzipStreamMustStartWithTheMagicBytes() {
        assertRefused(Codec.GZIP, Chunking.everyByte(), hex("1f8c 08 00"), "not a gzip stream: ID2 is 0x8c, expected 0x8b");
    }

    @Test
    void aGzipCompressionMethodOtherThanDeflateIsRefused() {
        assertRefused(Codec.GZIP, Chunking.everyByte(), hex("1f8b 07 00 00000000 00 ff"),
                "gzip member 1: compression method 7 is not supported, only 8 (deflate)");
    }

    @Test
    void reservedGzipHeaderFlagsAreRefused() {
        assertRefused(Codec.GZIP, Chunking.everyByte(), hex("1f8b 08 28 00000000 00 ff"), // FNAME | reserved 0x20
                "gzip member 1: reserved header flag bits set: 0x20");
    }

    @Test
    void aGzipHeaderWhoseCrc16DoesNotMatchIsRefused() {
        assertRefused(Codec.GZIP, Chunking.everyByte(), hex("1f8b 08 02 00000000 00 ff  3412"), // FHCRC, wrong CRC
                String.format("gzip member 1: header CRC16 mismatch: header says 0x1234, computed 0x%04x",
                        crc16(hex("1f8b 08 02 00000000 00 ff"))));
    }

    @Test
    void aGzipTrailerWithTheWrongCrc32IsRefused() {
        byte[] wire = ReferenceCodecs.gzip(HELLO);
        wire[wire.length - 8] ^= 0x01; // first byte of CRC32, little-endian
        CRC32 crc = new CRC32();
        crc.update(HELLO);
        assertRefused(Codec.GZIP, Chunking.everyByte(), wire, String.format(
                "gzip member 1: CRC32 mismatch: trailer says 0x%08x, data has 0x%08x", crc.getValue() ^ 1,
                crc.getValue()));
    }

    @Test
    void aGzipTrailerWithTheWrongSizeIsRefused() {
        byte[] wire = ReferenceCodecs.gzip(HELLO);
        wire[wire.length - 4] = 6; // ISIZE, little-endian: 6 instead of 5
        assertRefused(Codec.GZIP, Chunking.everyByte(), wire,
                "gzip member 1: ISIZE mismatch: trailer says 6 bytes, data has 5 (mod 2^32)");
    }

    @Test
    void aBadSecondGzipMemberNamesItsNumber() {
        byte[] second = ReferenceCodecs.gzip(HELLO);
        second[second.length - 4] = 9;
        byte[] wire = ReferenceCodecs.concat(ReferenceCodecs.gzip(HELLO), second);
        assertRefused(Codec.GZIP, Chunking.whole(), wire,
                "gzip member 2: ISIZE mismatch: trailer says 9 bytes, data has 5 (mod 2^32)");
    }

    static int crc16(byte[] header) {
        CRC32 crc = new CRC32();
        crc.update(header);
        return (int) crc.getValue() & 0xffff;
    }
}
