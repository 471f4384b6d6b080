package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.Hex.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.test.SluiceTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Hixie-76 reader: 0x00 text 0xFF frames, the 0xFF 0x00 close, and the frame types it must skip. */
class Hixie76FrameReaderTest {

    private static Hixie76FrameReader reader(long max) {
        return new Hixie76FrameReader(SluiceTest.allocator(), max);
    }

    private static List<String> read(FrameReader reader, String hex) throws WebSocketProtocolException {
        reader.feed(Hex.buffer(SluiceTest.allocator(), hex));
        List<String> out = new ArrayList<>();
        Frame f;
        while ((f = reader.poll()) != null) {
            out.add(WebSocketProtocol.opcodeName(f.opcode()) + (f.first() ? " first" : "") + (f.last() ? " last" : "")
                    + " " + hexAndRelease(f.payload()));
        }
        return out;
    }

    @Test
    void readsTextFramesAndTheClose() throws Exception {
        assertThat(read(reader(1024), "00 48656c6c6f ff" // "Hello"
                + " 00 ff"                                   // empty text
                + " ff 00"))                                 // closing handshake
                .containsExactly("text first last 48656c6c6f", "text first last ", "close first last ");
    }

    @Test
    void handsOutTextAsItArrives() throws Exception {
        Hixie76FrameReader r = reader(1024);
        assertThat(read(r, "00 4865")).containsExactly("text first 4865");
        assertThat(read(r, "6c6c")).containsExactly("text 6c6c");
        assertThat(read(r, "6f ff")).containsExactly("text last 6f");
    }

    @Test
    void readsOneByteAtATime() throws Exception {
        Hixie76FrameReader r = reader(1024);
        StringBuilder seen = new StringBuilder();
        for (String b : "00 61 62 ff ff 00".split(" ")) {
            for (String frame : read(r, b)) {
                seen.append(frame).append(';');
            }
        }
        assertThat(seen.toString()).isEqualTo("text first 61;text 62;text last ;close first last ;");
    }

    @Test
    void skipsLengthPrefixedAndUnknownSentinelFrames() throws Exception {
        assertThat(read(reader(1024), "80 03 010203" // length-prefixed binary frame: skipped
                + " 81 81 00 " + "00".repeat(128)    // type 0x81, base-128 length 128: skipped
                + " 05 616263 ff"                    // unknown sentinel type 0x05: skipped
                + " 00 61 ff"))
                .containsExactly("text first last 61");
    }

    @Test
    void failsWith1009OnATextFrameOverTheLimit() throws Exception {
        Hixie76FrameReader r = reader(4);
        assertThat(read(r, "00 61626364")).containsExactly("text first 61626364");
        assertThatThrownBy(() -> read(r, "65 ff"))
                .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> {
                    assertThat(e.closeCode()).isEqualTo(1009);
                    assertThat(e.getMessage()).isEqualTo("text frame exceeds the limit of 4 bytes");
                });
        assertThat(r.buffered()).isZero();
    }

    @Test
    void handsOutWhatFitsTheLimitBeforeFailingWith1009() throws Exception {
        Hixie76FrameReader r = reader(4);
        r.feed(Hex.buffer(SluiceTest.allocator(), "00 6162636465 ff")); // "abcde" in one read, limit 4
        Frame first = r.poll();
        assertThat(first.first()).isTrue();
        assertThat(first.last()).isFalse();
        assertThat(hexAndRelease(first.payload())).isEqualTo("61626364");
        assertThatThrownBy(r::poll)
                .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> {
                    assertThat(e.closeCode()).isEqualTo(1009);
                    assertThat(e.getMessage()).isEqualTo("text frame exceeds the limit of 4 bytes");
                });
        assertThat(r.buffered()).isZero();
    }

    @Test
    void failsWith1009OnALengthPastWhatALongHoldsEvenWithoutALimit() {
        Hixie76FrameReader r = reader(Long.MAX_VALUE);
        // type 0x80; nine groups of seven 1-bits make 2^63-1, a tenth would need 70 bits
        assertThatThrownBy(() -> read(r, "80 ffffffffffffffffff 7f 0102030405"))
                .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> {
                    assertThat(e.closeCode()).isEqualTo(1009);
                    assertThat(e.getMessage()).isEqualTo("frame length exceeds the limit of 9223372036854775807 bytes");
                });
        assertThat(r.buffered()).isZero();
    }

    @Test
    void skipsAFrameOfTheLargestLengthALongHoldsWithoutALimit() throws Exception {
        Hixie76FrameReader r = reader(Long.MAX_VALUE);
        // type 0x80, length 2^63-1 (nine groups of seven 1-bits): everything after it is skipped, none of it held
        assertThat(read(r, "80 ffffffffffffffff7f 00 61 ff")).isEmpty();
        assertThat(r.buffered()).isZero();
    }

    @Test
    void readsNothingAfterTheClose() throws Exception {
        Hixie76FrameReader r = reader(1024);
        assertThat(read(r, "ff 00 00 61 ff")).containsExactly("close first last ");
        assertThat(r.closed()).isTrue();
        assertThat(r.buffered()).isZero();
    }
}
