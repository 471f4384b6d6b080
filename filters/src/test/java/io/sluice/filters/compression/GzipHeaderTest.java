package io.sluice.filters.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.pipe.Chunking;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The optional parts of a gzip header, and members one after another, each split at every byte. */
class GzipHeaderTest {

    private static final byte[] HELLO = "hello".getBytes();
    /** Everything after the JDK's 10-byte header: the deflate data and the trailer of "hello". */
    private static final byte[] BODY = Arrays.copyOfRange(ReferenceCodecs.gzip(HELLO), 10,
            ReferenceCodecs.gzip(HELLO).length);

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] member(byte[] header) {
        return ReferenceCodecs.concat(header, BODY);
    }

    @Test
    void anExtraFieldIsSkipped() {
        byte[] header = hex("1f8b 08 04 00000000 00 ff  0500 4142430000"); // FEXTRA, XLEN 5, 5 bytes
        assertThat(PeerBytes.decode(Codec.GZIP, Chunking.everyByte(), member(header))).isEqualTo(HELLO);
    }

    @Test
    void anEmptyExtraFieldIsSkipped() {
        byte[] header = hex("1f8b 08 04 00000000 00 ff  0000"); // FEXTRA, XLEN 0
        assertThat(PeerBytes.decode(Codec.GZIP, Chunking.everyByte(), member(header))).isEqualTo(HELLO);
    }

    @Test
    void aFileNameAndACommentAreSkipped() {
        byte[] header = hex("1f8b 08 18 00000000 00 03  612e74787400 6869 00"); // FNAME "a.txt", FCOMMENT "hi"
        assertThat(PeerBytes.decode(Codec.GZIP, Chunking.everyByte(), member(header))).isEqualTo(HELLO);
    }

    @Test
    void everyOptionalFieldWithAMatchingHeaderCrcIsAccepted() {
        byte[] fields = hex("1f8b 08 1e 00000000 00 03  0200 0102  6100 6200"); // FHCRC|FEXTRA|FNAME|FCOMMENT
        int crc = BadInputTest.crc16(fields);
        byte[] header = ReferenceCodecs.concat(fields, new byte[] {(byte) crc, (byte) (crc >>> 8)});
        assertThat(PeerBytes.decode(Codec.GZIP, Chunking.everyByte(), member(header))).isEqualTo(HELLO);
    }

    @Test
    void membersOneAfterAnotherDecodeToTheirConcatenation() {
        byte[] wire = ReferenceCodecs.concat(ReferenceCodecs.gzip(HELLO), ReferenceCodecs.gzip(new byte[0]),
                ReferenceCodecs.gzip(" world".getBytes()));
        assertThat(PeerBytes.decode(Codec.GZIP, Chunking.everyByte(), wire)).isEqualTo("hello world".getBytes());
        assertThat(PeerBytes.decode(Codec.GZIP, Chunking.whole(), wire)).isEqualTo("hello world".getBytes());
    }

    @Test
    void aLongMemberInThreeByteReadsDecodes() {
        byte[] data = ReferenceCodecs.text(70_000, 9);
        assertThat(PeerBytes.decode(Codec.GZIP, Chunking.atMost(3), ReferenceCodecs.gzip(data))).isEqualTo(data);
    }
}
