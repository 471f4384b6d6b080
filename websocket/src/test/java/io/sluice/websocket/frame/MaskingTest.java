package io.sluice.websocket.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class MaskingTest {

    private static final int KEY = 0x37fa213d;

    @Test
    void masksAsRfc6455Section57Shows() {
        ByteBuf out = Unpooled.buffer();
        Masking.copyMasked(Unpooled.wrappedBuffer(Hex.bytes("48656c6c6f")), out, KEY); // "Hello"
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("7f9f4d5158");
    }

    @Test
    void unmasksInPlaceFromAnyPayloadOffset() {
        byte[] plain = new byte[37];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (byte) (i * 7);
        }
        ByteBuf masked = Unpooled.buffer();
        Masking.copyMasked(Unpooled.wrappedBuffer(plain), masked, KEY);
        for (int split = 0; split <= plain.length; split++) {
            ByteBuf copy = masked.copy();
            Masking.toggle(copy, 0, split, KEY, 0);
            Masking.toggle(copy, split, plain.length - split, KEY, split);
            assertThat(ByteBufUtil.getBytes(copy)).as("split at " + split).isEqualTo(plain);
        }
    }

    @Test
    void masksCompositeSources() {
        ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(Hex.bytes("4865")),
                Unpooled.wrappedBuffer(Hex.bytes("6c6c6f")));
        ByteBuf out = Unpooled.buffer();
        Masking.copyMasked(composite, out, KEY);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("7f9f4d5158");
        assertThat(composite.readableBytes()).as("the source is not consumed").isEqualTo(5);
    }

    /** §5.3 byte by byte: the reference every path (small, one NIO buffer, several) must match. */
    private static byte[] reference(byte[] plain, int key, long payloadOffset) {
        byte[] out = new byte[plain.length];
        for (int i = 0; i < plain.length; i++) {
            int j = (int) ((payloadOffset + i) & 3);
            out[i] = (byte) (plain[i] ^ (key >>> (24 - 8 * j)));
        }
        return out;
    }

    @Test
    void matchesTheByteByByteDefinitionOnHeapDirectAndCompositeBuffersOfEverySize() {
        for (int size : new int[] {1, 3, 4, 7, 8, 9, 63, 64, 65, Masking.SMALL - 1, Masking.SMALL, Masking.SMALL + 1,
                300, 4096 + 5}) {
            byte[] plain = new byte[size];
            for (int i = 0; i < size; i++) {
                plain[i] = (byte) (i * 31 + 5);
            }
            for (long offset = 0; offset < 4; offset++) {
                byte[] expected = reference(plain, KEY, offset);
                int half = size / 2;
                ByteBuf direct = Unpooled.directBuffer(size + 3).writeZero(3).writeBytes(plain);
                ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(plain, 0, half).copy(),
                        Unpooled.directBuffer().writeBytes(plain, half, size - half));
                for (ByteBuf buf : new ByteBuf[] {Unpooled.copiedBuffer(plain), direct, composite}) {
                    int index = buf.readerIndex() + (buf == direct ? 3 : 0);
                    Masking.toggle(buf, index, size, KEY, offset);
                    assertThat(ByteBufUtil.getBytes(buf, index, size))
                            .as(size + " bytes at payload offset " + offset + " in " + buf).isEqualTo(expected);
                    buf.release();
                }
            }
            ByteBuf out = Unpooled.buffer();
            Masking.copyMasked(Unpooled.wrappedBuffer(plain), out, KEY);
            assertThat(ByteBufUtil.getBytes(out)).as("copyMasked, " + size + " bytes")
                    .isEqualTo(reference(plain, KEY, 0));
        }
    }
}
