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
}
