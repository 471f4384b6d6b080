package io.sluice.websocket.frame;

import static io.sluice.websocket.frame.Hex.hexAndRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.sluice.test.SluiceTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate payloads (RFC 7692 §7.2): the RFC's own examples, the tail removed and appended, context
 * takeover on and off, fragments, empty messages, and the decompressed-size limit.
 */
class PerMessageDeflateTest {

    /** RFC 7692 §7.2.3.1: "Hello" compressed into one message. */
    private static final String HELLO = "f248cdc9c90700";
    /** RFC 7692 §7.2.3.2: a second "Hello" with the context of the first, a back-reference. */
    private static final String HELLO_AGAIN = "f200110000";

    private static PerMessageDeflater deflater(boolean takeover) {
        return new PerMessageDeflater(SluiceTest.allocator(), takeover, 15, 6);
    }

    private static PerMessageInflater inflater(boolean takeover) {
        return new PerMessageInflater(SluiceTest.allocator(), takeover);
    }

    private static ByteBuf text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return SluiceTest.allocator().buffer(b.length).writeBytes(b);
    }

    private static String inflateText(PerMessageInflater in, String hex, boolean end) throws Exception {
        ByteBuf out = in.inflate(Hex.buffer(SluiceTest.allocator(), hex), end, 1 << 20);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Test
    void inflatesTheRfcExamples() throws Exception {
        try (PerMessageInflater in = inflater(true)) {
            assertThat(inflateText(in, HELLO, true)).isEqualTo("Hello");
            assertThat(inflateText(in, HELLO_AGAIN, true)).isEqualTo("Hello");
        }
    }

    @Test
    void deflatesAsTheRfcExamplesShowWithContextTakeover() throws Exception {
        try (PerMessageDeflater out = deflater(true)) {
            assertThat(hexAndRelease(out.deflate(text("Hello"), true))).isEqualTo(HELLO);
            assertThat(hexAndRelease(out.deflate(text("Hello"), true))).isEqualTo(HELLO_AGAIN);
        }
    }

    @Test
    void startsEachMessageAfreshWithoutContextTakeover() throws Exception {
        try (PerMessageDeflater out = deflater(false)) {
            assertThat(hexAndRelease(out.deflate(text("Hello"), true))).isEqualTo(HELLO);
            assertThat(hexAndRelease(out.deflate(text("Hello"), true))).isEqualTo(HELLO);
        }
    }

    @Test
    void inflatesEachMessageOnItsOwnWithoutContextTakeover() throws Exception {
        try (PerMessageInflater in = inflater(false)) {
            assertThat(inflateText(in, HELLO, true)).isEqualTo("Hello");
            assertThat(inflateText(in, HELLO, true)).isEqualTo("Hello");
        }
    }

    @Test
    void compressesAnEmptyMessageToOneZeroByte() throws Exception {
        try (PerMessageDeflater out = deflater(true); PerMessageInflater in = inflater(true)) {
            ByteBuf empty = SluiceTest.allocator().buffer(0);
            assertThat(hexAndRelease(out.deflate(empty, true))).isEqualTo("00"); // RFC 7692 §7.2.3.6
            assertThat(inflateText(in, "00", true)).isEmpty();
        }
    }

    @Test
    void endsAFragmentedMessageWhoseLastFragmentIsEmpty() throws Exception {
        try (PerMessageDeflater out = deflater(true); PerMessageInflater in = inflater(true)) {
            String first = hexAndRelease(out.deflate(text("Hello"), false));
            assertThat(first).as("a non-final fragment keeps its flush marker").endsWith("0000ffff");
            String last = hexAndRelease(out.deflate(SluiceTest.allocator().buffer(0), true));
            assertThat(last).isEqualTo("00");
            assertThat(inflateText(in, first, false) + inflateText(in, last, true)).isEqualTo("Hello");
            // the context is still in step for the next message
            assertThat(inflateText(in, hexAndRelease(out.deflate(text("Hello"), true)), true)).isEqualTo("Hello");
        }
    }

    @Test
    void inflatesAMessageSplitAtEveryByte() throws Exception {
        String message = "a longer message, a longer message, a longer message";
        String compressed;
        try (PerMessageDeflater out = deflater(false)) {
            compressed = hexAndRelease(out.deflate(text(message), true));
        }
        byte[] bytes = Hex.bytes(compressed);
        for (int split = 0; split <= bytes.length; split++) {
            try (PerMessageInflater in = inflater(false)) {
                String head = ByteBufUtil.hexDump(bytes, 0, split);
                String tail = ByteBufUtil.hexDump(bytes, split, bytes.length - split);
                assertThat(inflateText(in, head, false) + inflateText(in, tail, true)).as("split at " + split)
                        .isEqualTo(message);
            }
        }
    }

    @Test
    void stopsOneBytePastTheLimitWhenASmallMessageInflatesBeyondIt() throws Exception {
        String bomb;
        try (PerMessageDeflater out = deflater(false)) {
            ByteBuf zeros = SluiceTest.allocator().buffer(1 << 20).writeZero(1 << 20);
            bomb = hexAndRelease(out.deflate(zeros, true));
        }
        assertThat(bomb.length() / 2).as("compressed size").isLessThan(2048);
        try (PerMessageInflater in = inflater(true)) {
            ByteBuf inflated = in.inflate(Hex.buffer(SluiceTest.allocator(), bomb), true, 64 * 1024);
            try {
                assertThat(inflated.readableBytes()).as("the limit and one byte").isEqualTo(64 * 1024 + 1);
                assertThat(ByteBufUtil.getBytes(inflated)).containsOnly(0);
            } finally {
                inflated.release();
            }
            // The context is gone with the message: a later one inflates afresh.
            assertThat(inflateText(in, "f248cdc9c90700", true)).isEqualTo("Hello");
        }
    }

    @Test
    void handsOutAMessageOfExactlyTheLimitWhole() throws Exception {
        try (PerMessageInflater in = inflater(true)) {
            ByteBuf inflated = in.inflate(Hex.buffer(SluiceTest.allocator(), "f248cdc9c90700"), true, 5);
            try {
                assertThat(inflated.toString(StandardCharsets.UTF_8)).isEqualTo("Hello");
            } finally {
                inflated.release();
            }
        }
    }

    @Test
    void failsWith1007OnDataThatDoesNotInflate() throws Exception {
        try (PerMessageInflater in = inflater(true)) {
            assertThatThrownBy(() -> in.inflate(Hex.buffer(SluiceTest.allocator(), "ffffffff"), true, 1024))
                    .isInstanceOfSatisfying(WebSocketProtocolException.class, e -> {
                        assertThat(e.closeCode()).isEqualTo(1007);
                        assertThat(e.getMessage()).startsWith("compressed message does not inflate: ");
                    });
        }
    }
}
